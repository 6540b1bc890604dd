"""German (Deutsch)."""

from __future__ import annotations

from bot.timeparse.languages.table import Language

GERMAN = Language(
    code="de",
    name="Deutsch",
    locales=("de",),
    weekdays={
        **dict.fromkeys(("montag", "montags", "mo"), 0),
        **dict.fromkeys(("dienstag", "dienstags", "di"), 1),
        **dict.fromkeys(("mittwoch", "mittwochs", "mi"), 2),
        **dict.fromkeys(("donnerstag", "donnerstags", "do"), 3),
        **dict.fromkeys(("freitag", "freitags", "fr"), 4),
        **dict.fromkeys(("samstag", "samstags", "sonnabend", "sa"), 5),
        **dict.fromkeys(("sonntag", "sonntags", "so"), 6),
    },
    days={"heute": "today", "morgen": "tomorrow", "übermorgen": "overmorrow", "uebermorgen": "overmorrow",
          "gestern": "yesterday", "jetzt": "now"},
    units={
        **dict.fromkeys(("tag", "tage", "tagen"), "day"),
        **dict.fromkeys(("stunde", "stunden", "std"), "hour"),
        **dict.fromkeys(("minute", "minuten"), "minute"),
        **dict.fromkeys(("woche", "wochen"), "week"),
        **dict.fromkeys(("sekunde", "sekunden", "sek"), "second"),
    },
    times={
        **dict.fromkeys(("morgens", "früh", "frueh", "vormittag", "vormittags"), "morning"),
        **dict.fromkeys(("mittag", "mittags"), "noon"),
        **dict.fromkeys(("nachmittag", "nachmittags"), "afternoon"),
        **dict.fromkeys(("abend", "abends"), "evening"),
        **dict.fromkeys(("nacht", "nachts"), "night"),
        "mitternacht": "midnight",
    },
    numbers={"ein": 1, "eine": 1, "einem": 1, "einen": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
             "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "zehn": 10},
    words={"in": "in", "jeden": "every", "jede": "every", "jedem": "every", "alle": "every", "und": "and",
           "diesen": "this", "diese": "this", "dieser": "this", "für": "for", "nach": "after"},
    phrases={"jeden tag": "daily", "am wochenende": "weekends", "montag bis freitag": "weekdays",
             "mo bis fr": "weekdays", "heute morgen": "today morning"},
    schedule={
        "werktags": "weekdays",
        "mo-fr": "weekdays",
        "montag-freitag": "weekdays",
        "wochentags": "weekdays",
        "täglich": "daily",
        "taeglich": "daily",
        "wochenende": "weekends",
        "wochenends": "weekends",
    },
    at=frozenset({"um"}),
    fillers=frozenset({"am", "den", "bis"}),
    ago=frozenset({"vor"}),
    clashes={
        "morgen": "always tomorrow; the noun Morgen (morning) is written morgens, früh or vormittags, and "
                  "heute morgen is this morning",
        "am": "on the (am Freitag); after a number it stays the English am (9 am)",
        "um": "at (um 9 Uhr is 09:00); Portuguese um (one) before a unit: em um dia",
        "17h": "a bare 17h in a date field stays the English 17 hours from now; with a day or in a time or "
               "schedule field it is 17:00",
        "uhr": "only after an hour (17 Uhr, 17.30 Uhr); on its own it means nothing",
    },
    examples={
        "when": ("morgen 17 Uhr", "freitag", "in 3 Tagen", "übermorgen 9:30"),
        "duration": ("30 Minuten", "8 Stunden", "2 Tage"),
        "clock": ("09:30", "17 Uhr", "17:00"),
        "schedule": ("täglich 09:30", "werktags 9 Uhr", "mo,mi,fr 17:15", "alle 2 Wochen am freitag 16 Uhr"),
    },
)
