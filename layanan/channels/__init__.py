"""Channels PESAN reads and answers itself (issue 18): the mailbox (IMAP in, SMTP out), WhatsApp (Cloud API),
Instagram and Messenger (Meta webhooks and Send API). See ``layanan.channels.conversation``."""
