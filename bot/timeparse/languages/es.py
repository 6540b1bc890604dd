"""Spanish (español)."""

from __future__ import annotations

from bot.timeparse.languages.table import Language

SPANISH = Language(
    code="es",
    name="Español",
    locales=("es-ES", "es-419"),
    weekdays={
        **dict.fromkeys(("lunes", "lun"), 0),
        **dict.fromkeys(("martes",), 1),
        **dict.fromkeys(("miércoles", "mié", "mier"), 2),
        **dict.fromkeys(("jueves", "jue"), 3),
        **dict.fromkeys(("viernes", "vie"), 4),
        **dict.fromkeys(("sábado", "sábados", "sáb"), 5),
        **dict.fromkeys(("domingo", "domingos", "dom"), 6),
    },
    days={"hoy": "today", "mañana": "tomorrow", "ayer": "yesterday", "ahora": "now"},
    units={
        **dict.fromkeys(("día", "días"), "day"),
        **dict.fromkeys(("hora", "horas"), "hour"),
        **dict.fromkeys(("minuto", "minutos"), "minute"),
        **dict.fromkeys(("semana", "semanas"), "week"),
        **dict.fromkeys(("segundo", "segundos"), "second"),
    },
    times={"tarde": "afternoon", "noche": "night", "mediodía": "noon", "medianoche": "midnight"},
    numbers={"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
             "siete": 7, "ocho": 8, "diez": 10},
    words={"en": "in", "cada": "every", "y": "and", "este": "this", "esta": "this", "durante": "for",
           "dentro": "in"},
    phrases={
        "pasado mañana": "overmorrow",
        "por la mañana": "morning", "en la mañana": "morning", "de la mañana": "am",
        "por la tarde": "afternoon", "en la tarde": "afternoon", "de la tarde": "pm",
        "por la noche": "night", "de la noche": "pm",
        "a las": "@", "a la": "@",
        "dentro de": "in",
        "todos los días": "daily", "cada día": "daily", "todos los": "every", "todas las": "every",
        "entre semana": "weekdays", "días laborables": "weekdays", "de lunes a viernes": "weekdays",
        "fines de semana": "weekends", "fin de semana": "weekends",
    },
    schedule={
        "diario": "daily",
        "lun-vie": "weekdays",
        "lunes-viernes": "weekdays",
        "diariamente": "daily",
        "laborables": "weekdays",
    },
    at=frozenset({"a"}),
    fillers=frozenset({"el", "los", "las", "la", "para", "antes", "del"}),
    ago=frozenset({"hace"}),
    clashes={
        "mañana": "tomorrow (mañana 9:00 is tomorrow at 09:00); the morning is por la mañana, and 9 de la "
                  "mañana is 09:00",
        "mar": "the English March, so Tuesday is written martes",
        "a": "at before a time (a las 9); the English a (one) before a unit",
        "en": "in (en 3 días); en semaine is the French weekdays",
    },
    examples={
        "when": ("mañana 9:00", "viernes", "en 3 días", "pasado mañana 17:00"),
        "duration": ("30 minutos", "8 horas", "2 días"),
        "clock": ("09:30", "17:00", "17h"),
        "schedule": ("diario 09:30", "entre semana 9:00", "lun,mié,vie 17:15", "cada 2 semanas el viernes 16:00"),
    },
)
