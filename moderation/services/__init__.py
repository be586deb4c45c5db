"""What moderators and members do about content and conduct: one function per intent, one module per
area. Every moderation action checks moderation.permissions, runs in one transaction with its audit
entry (moderation.services.audit), and announces its effect on the streams of the pages it changes."""
