"""smtpd.py: the SMTP server of nintei's tests (aiosmtpd from Debian's
python3-aiosmtpd): STARTTLS on one port, implicit TLS on another, and
implicit TLS with a self-signed certificate on a third; AUTH PLAIN/LOGIN
against one user, and answers the test steers with files in
its folder: a file "tempfail" makes every RCPT get 451, a recipient whose
local part is "reject" always gets 550.  Each message is stored in the
Maildir DIR/mail with its envelope in X-Test- headers, and AUTH and DATA
are logged to DIR/smtpd.log (DATA with the length, SHA-256 and Message-ID
of the letter as received).

usage: smtpd.py DIR STARTTLS_PORT SMTPS_PORT SELF_PORT CERT KEY
    SELF_CERT SELF_KEY USER PASSWORD
"""

import asyncio
import hashlib
import logging
import mailbox
import os
import re
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, folder):
        self.folder = folder
        self.box = mailbox.Maildir(os.path.join(folder, "mail"), create=True)

    def log(self, line):
        with open(os.path.join(self.folder, "smtpd.log"), "a") as f:
            f.write(line + "\n")

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.split("@")[0] == "reject":
            return "550 5.1.1 <%s>: Recipient address rejected: " \
                "User unknown (test)" % address
        if os.path.exists(os.path.join(self.folder, "tempfail")):
            return "451 4.3.0 <%s>: Temporary lookup failure (test)" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = mailbox.MaildirMessage(envelope.original_content)
        msg["X-Test-Envelope-From"] = envelope.mail_from
        msg["X-Test-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.box.add(msg)
        # aiosmtpd keeps the null sender as "<>".
        sender = "" if envelope.mail_from == "<>" else envelope.mail_from
        raw = envelope.original_content
        mid = re.search(rb"(?im)^message-id:\s*(<[^>\r\n]*>)", raw)
        self.log("DATA from=<%s> to=%s tls=%s auth=%s len=%d sha256=%s "
                 "id=%s" % (
                     sender, ",".join(envelope.rcpt_tos),
                     server.transport.get_extra_info("ssl_object")
                     is not None, session.authenticated, len(raw),
                     hashlib.sha256(raw).hexdigest(),
                     mid.group(1).decode() if mid else "-"))
        return "250 2.0.0 Ok: queued (test)"


def main():
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    (folder, port, sport, selfport, cert, key, selfcert, selfkey, user,
     password) = sys.argv[1:11]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    selfctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    selfctx.load_cert_chain(selfcert, selfkey)
    handler = Handler(folder)

    def auth(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and \
            data.login.decode() == user and data.password.decode() == password
        handler.log("AUTH %s %s %s" % (mechanism, data.login.decode()
                    if isinstance(data, LoginPassword) else "?",
                    "ok" if ok else "refused"))
        # handled=False: aiosmtpd answers 535 itself on failure.
        return AuthResult(success=ok, handled=False)

    def starttls():
        return SMTP(handler, hostname="localhost", tls_context=ctx,
                    require_starttls=True, authenticator=auth,
                    auth_required=True, auth_require_tls=True)

    def implicit():
        return SMTP(handler, hostname="localhost", authenticator=auth,
                    auth_required=True, auth_require_tls=False)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(loop.create_server(starttls, "127.0.0.1",
                                               int(port)))
    loop.run_until_complete(loop.create_server(implicit, "127.0.0.1",
                                               int(sport), ssl=ctx))
    loop.run_until_complete(loop.create_server(implicit, "127.0.0.1",
                                               int(selfport), ssl=selfctx))
    loop.run_forever()


if __name__ == "__main__":
    main()
