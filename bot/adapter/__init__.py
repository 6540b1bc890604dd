"""The Discord adapter layer: the client, the command tree and its one error path, rendering to embeds,
delivery, the permissions the bot lacks, shared UI pieces and the one request pacer. Feature cogs use it;
the domain below it never imports discord."""
