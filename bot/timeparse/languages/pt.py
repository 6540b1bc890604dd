"""Brazilian Portuguese (português do Brasil)."""

from __future__ import annotations

from bot.timeparse.languages.table import Language

PORTUGUESE = Language(
    code="pt",
    name="Português do Brasil",
    locales=("pt-BR",),
    weekdays={
        **dict.fromkeys(("segunda", "segunda-feira", "segundas", "seg"), 0),
        **dict.fromkeys(("terça", "terça-feira", "terças", "ter"), 1),
        **dict.fromkeys(("quarta", "quarta-feira", "quartas", "qua"), 2),
        **dict.fromkeys(("quinta", "quinta-feira", "quintas", "qui"), 3),
        **dict.fromkeys(("sexta", "sexta-feira", "sextas", "sex"), 4),
        **dict.fromkeys(("sábado", "sábados", "sáb"), 5),
        **dict.fromkeys(("domingo", "domingos", "dom"), 6),
    },
    days={"hoje": "today", "amanhã": "tomorrow", "ontem": "yesterday", "agora": "now"},
    units={
        **dict.fromkeys(("dia", "dias"), "day"),
        **dict.fromkeys(("hora", "horas"), "hour"),
        **dict.fromkeys(("minuto", "minutos"), "minute"),
        **dict.fromkeys(("semana", "semanas"), "week"),
        **dict.fromkeys(("segundo", "segundos"), "second"),
    },
    times={"manhã": "morning", "tarde": "afternoon", "noite": "night", "meio-dia": "noon",
           "meia-noite": "midnight"},
    numbers={"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6,
             "sete": 7, "oito": 8, "dez": 10},
    words={"em": "in", "cada": "every", "e": "and", "este": "this", "esta": "this", "nesta": "this",
           "neste": "this", "durante": "for", "por": "for"},
    phrases={
        "depois de amanhã": "overmorrow",
        "de manhã": "morning", "da manhã": "am", "da tarde": "pm", "da noite": "pm",
        "daqui a": "in", "dentro de": "in", "a cada": "every",
        "todos os dias": "daily", "todo dia": "daily", "todos os": "every", "todas as": "every",
        "dias úteis": "weekdays", "de segunda a sexta": "weekdays",
        "fins de semana": "weekends", "fim de semana": "weekends",
        "sexta feira": "fri", "segunda feira": "mon", "terça feira": "tue", "quarta feira": "wed",
        "quinta feira": "thu",
    },
    schedule={
        "diariamente": "daily",
        "seg-sex": "weekdays",
        "segunda-sexta": "weekdays",
        "úteis": "weekdays",
    },
    at=frozenset({"às", "à"}),
    fillers=frozenset({"o", "os", "na", "no", "nas", "nos", "até", "de"}),
    ago=frozenset({"há"}),
    clashes={
        "um": "one before a unit (em um dia); German um (at) before a time",
        "manhã": "the morning, while amanhã is tomorrow (the accent-free manha and amanha are read alike)",
        "sábado, domingo, dom": "the same days in Spanish",
        "e": "and",
    },
    examples={
        "when": ("amanhã 17h", "sexta", "em 3 dias", "depois de amanhã 9h30"),
        "duration": ("30 minutos", "8 horas", "2 dias"),
        "clock": ("09:30", "17h", "17h30"),
        "schedule": ("todos os dias 9h30", "dias úteis 9h", "seg,qua,sex 17h15", "a cada 2 semanas na sexta 16h"),
    },
)
