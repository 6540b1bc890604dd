"""Small word lists of general English used by the detectors (no data-set phrases)."""

from __future__ import annotations

# Base forms of everyday verbs that name something a person can go and do. Used to recognise
# imperatives ("Send me the file") and the verb after "I'll" / "can you".
ACTION_VERBS = frozenset(
    [
        "add", "adjust", "answer", "apply", "approve", "arrange", "ask", "assign", "attach", "attend", "bake",
        "beat", "bring", "book", "buy", "build", "call", "cancel", "change", "charge", "check", "choose",
        "circulate", "clarify", "clean", "close", "collect", "come", "compare", "complete", "confirm",
        "consider", "contact", "copy", "correct", "cover", "create", "cut", "deal", "decide", "define",
        "delete", "deliver", "deploy", "describe", "design", "discuss", "distribute", "do", "double-check",
        "download", "draft", "drive", "drop", "edit", "email", "e-mail", "enter", "estimate", "examine",
        "expect", "explain", "export", "fax", "feed", "fetch", "file", "fill", "finalize", "finalise", "find",
        "finish", "fix", "follow", "forward", "get", "give", "go", "grab", "handle", "help", "hire", "hold",
        "host", "include", "inform", "install", "introduce", "investigate", "invite", "join", "keep", "kick",
        "land", "launch", "lead", "leave", "let", "list", "load", "locate", "lock", "log", "look", "mail",
        "make", "manage", "mark", "meet", "merge", "message", "move", "note", "notify", "open", "order",
        "organize", "organise", "outline", "pack", "pay", "phone", "pick", "ping", "place", "plan", "post",
        "prepare", "present", "print", "prioritize", "process", "produce", "provide", "publish", "pull",
        "push", "put", "raise", "reach", "read", "rebook", "recommend", "record", "reduce", "register",
        "remember", "remind", "remove", "rename", "renew", "reply", "report", "request", "research",
        "reschedule", "reserve", "resolve", "respond", "restart", "return", "review", "revise", "rewrite",
        "ring", "run", "save", "schedule", "scan", "secure", "select", "sell", "send", "set", "settle",
        "share", "ship", "show", "sign", "sort", "speak", "start", "stop", "submit", "summarize", "summarise",
        "supply", "support", "take", "talk", "tell", "test", "text", "touch", "track", "train", "transfer",
        "translate", "try", "turn", "type", "update", "upload", "use", "verify", "visit", "wait", "walk",
        "wash", "watch", "work", "wrap", "write", "borrow", "lend", "proofread", "rerun", "repair", "paint",
        "trim", "mow", "water", "plot",
    ]
)

# Verbs that follow "I'll" without naming a task ("I'll be honest", "I'll miss you").
NON_TASK_VERBS = frozenset(
    [
        "be", "miss", "love", "like", "hate", "die", "never", "guess", "bet", "admit", "say", "assume",
        "suppose", "survive", "wish", "hope", "believe", "imagine", "feel", "remember", "forget", "regret",
        "agree", "pass", "live", "cry", "laugh", "kill", "starve", "freak", "explode", "faint",
    ]
)

# Verbs after "can you" that ask for sympathy or attention, not for a task.
NON_REQUEST_VERBS = frozenset([
    "believe", "imagine", "hear", "see", "feel", "guess", "tell", "understand", "stop",
])

# Sentence-initial verbs that are usually chat interjections rather than instructions.
CHAT_IMPERATIVES = frozenset(
    [
        "look", "see", "guess", "imagine", "trust", "wait", "hold", "come", "relax", "enjoy", "listen", "stop",
        "chill", "calm", "shut", "thank", "excuse", "forgive", "pardon", "mind", "fancy", "congrats", "happy",
        "sleep", "bless", "rest", "hang",
    ]
)

AGREEMENT_STARTS = (
    "ok", "okay", "k", "kk", "sure", "yes", "yeah", "yep", "yup", "ya", "agreed", "agree", "deal", "perfect",
    "great", "fine", "sounds good", "sounds great", "sounds like a plan", "good idea", "great idea",
    "works for me", "that works", "let's do it", "lets do it", "let's do that", "i'm in", "im in",
    "count me in", "+1", "will do", "on it", "absolutely", "definitely", "of course", "cool", "alright",
    "all right", "done", "i agree", "me too", "same", "exactly", "good plan", "nice", "awesome",
    "for sure", "why not", "go for it", "let's go", "lets go", "right", "i can do that", "no problem",
    "np", "sgtm", "lgtm", "👍", "✅", "👌", "🆗", "💯",
)
DISAGREEMENT_STARTS = (
    "no", "nope", "nah", "not", "i don't", "i dont", "i can't", "i cant", "but", "hmm", "hm", "wait",
    "actually", "i'd rather", "rather", "i disagree", "disagree", "not sure", "maybe not", "i won't",
)
