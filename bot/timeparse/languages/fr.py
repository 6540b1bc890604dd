"""French (français)."""

from __future__ import annotations

from bot.timeparse.languages.table import Language

FRENCH = Language(
    code="fr",
    name="Français",
    locales=("fr",),
    weekdays={
        **dict.fromkeys(("lundi", "lundis", "lun"), 0),
        **dict.fromkeys(("mardi", "mardis"), 1),
        **dict.fromkeys(("mercredi", "mercredis", "mer"), 2),
        **dict.fromkeys(("jeudi", "jeudis", "jeu"), 3),
        **dict.fromkeys(("vendredi", "vendredis", "ven"), 4),
        **dict.fromkeys(("samedi", "samedis", "sam"), 5),
        **dict.fromkeys(("dimanche", "dimanches", "dim"), 6),
    },
    days={"aujourd'hui": "today", "aujourdhui": "today", "demain": "tomorrow", "après-demain": "overmorrow",
          "hier": "yesterday", "maintenant": "now"},
    units={
        **dict.fromkeys(("jour", "jours", "j"), "day"),
        **dict.fromkeys(("heure", "heures"), "hour"),
        **dict.fromkeys(("minute", "minute"), "minute"),
        **dict.fromkeys(("semaine", "semaines"), "week"),
        **dict.fromkeys(("seconde", "secondes"), "second"),
    },
    times={"matin": "morning", "après-midi": "afternoon", "soir": "evening", "nuit": "night", "midi": "noon",
           "minuit": "midnight"},
    numbers={"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
             "huit": 8, "dix": 10},
    words={"dans": "in", "chaque": "every", "et": "and", "ce": "this", "cet": "this", "cette": "this",
           "pendant": "for"},
    phrases={
        "du matin": "am", "du soir": "pm", "de l'après-midi": "pm",
        "tous les jours": "daily", "chaque jour": "daily", "tous les": "every", "toutes les": "every",
        "en semaine": "weekdays", "jours ouvrables": "weekdays", "jours ouvrés": "weekdays",
        "du lundi au vendredi": "weekdays", "le week-end": "weekends", "le weekend": "weekends",
        "il y a": "ago",
    },
    schedule={
        "quotidien": "daily",
        "lun-ven": "weekdays",
        "lundi-vendredi": "weekdays",
        "quotidiennement": "daily",
        "week-end": "weekends",
        "week-ends": "weekends",
        "weekend": "weekends",
    },
    at=frozenset({"à"}),
    fillers=frozenset({"le", "les", "la", "l'", "avant", "d'ici"}),
    ago=frozenset(),
    clashes={
        "mar": "the English March, so Tuesday is written mardi",
        "17h": "a bare 17h in a date field stays the English 17 hours from now; with a day (demain 17h) or in "
               "a time or schedule field it is 17:00, and 17h30 is 17:30",
        "dans 2h": "in two hours (after dans, en, in or em an hour count is a duration)",
        "hier": "yesterday (German hier, here, is no date word)",
    },
    examples={
        "when": ("demain 17h", "vendredi", "dans 3 jours", "après-demain 9h30"),
        "duration": ("30 minutes", "8 heures", "2 jours"),
        "clock": ("09:30", "17h", "17h30"),
        "schedule": ("tous les jours 9h30", "en semaine 9h", "lun,mer,ven 17h15",
                     "toutes les 2 semaines le vendredi 16h"),
    },
)
