-- Languages: a member's explicit choice (NULL: follow their Discord client) and the locale they last used
-- with Rapport; a server's explicit language for channel posts and the preferred locale Discord reports.
ALTER TABLE member_settings ADD COLUMN locale TEXT;
ALTER TABLE member_settings ADD COLUMN last_locale TEXT;
ALTER TABLE guild_settings ADD COLUMN locale TEXT;
ALTER TABLE guild_settings ADD COLUMN preferred_locale TEXT;
