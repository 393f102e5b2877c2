"""slowsmtpd.py: a small SMTP server over implicit TLS for nintei's tests
of delivery faults, which aiosmtpd cannot give on demand: it can stall
after its 354 reply (reading nothing for a while, so that the client's
writes block), read slowly (a small receive buffer, 1 KiB at a time), and
hold back its final reply after storing a letter.  The file DIR/mode,
read at each DATA, steers it: lines "stall=SECONDS", "slow=1",
"hold=SECONDS".  PORT has the usual buffers, SMALL_PORT a receive buffer
of 4 KiB, so that a stalled or slow reader blocks the client's writes
soon.  AUTH PLAIN against one user.  Each letter is stored
whole, as received (dots unstuffed), in DIR/mail/N, and logged to
DIR/slowsmtpd.log with its length, SHA-256 and Message-ID; a connection
lost in the middle of DATA is logged and stores nothing.

usage: slowsmtpd.py DIR PORT SMALL_PORT CERT KEY USER PASSWORD
"""

import asyncio
import base64
import hashlib
import os
import re
import socket
import ssl
import sys

LIMIT = 4096


class Conn:
    def __init__(self, server, reader, writer):
        self.server = server
        self.reader = reader
        self.writer = writer
        self.buf = bytearray()

    async def more(self, slow):
        data = await self.reader.read(1024 if slow else LIMIT)
        if slow:
            await asyncio.sleep(0.01)
        if not data:
            raise ConnectionError("closed")
        self.buf += data

    async def line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[:i + 2]
                return line.decode("utf-8", "replace")
            if len(self.buf) > 65536:
                raise ConnectionError("line too long")
            await self.more(False)

    async def reply(self, text):
        self.writer.write(text.encode() + b"\r\n")
        await self.writer.drain()

    async def data(self, mode):
        """The letter up to the lone dot, unstuffed."""
        slow = mode.get("slow", "0") != "0"
        start = 0
        while True:
            if self.buf.startswith(b".\r\n"):
                del self.buf[:3]
                return b""
            i = self.buf.find(b"\r\n.\r\n", start)
            if i >= 0:
                raw = bytes(self.buf[:i + 2])
                del self.buf[:i + 5]
                return b"\r\n".join(l[1:] if l.startswith(b".") else l
                                     for l in raw.split(b"\r\n"))
            start = max(0, len(self.buf) - 4)
            await self.more(slow)


class Server:
    def __init__(self, folder, user, password):
        self.folder = folder
        self.user = user
        self.password = password
        self.count = 0
        os.makedirs(os.path.join(folder, "mail"), exist_ok=True)

    def log(self, line):
        with open(os.path.join(self.folder, "slowsmtpd.log"), "a") as f:
            f.write(line + "\n")

    def mode(self):
        mode = {}
        try:
            with open(os.path.join(self.folder, "mode")) as f:
                for line in f:
                    if "=" in line:
                        k, v = line.strip().split("=", 1)
                        mode[k] = v
        except OSError:
            pass
        return mode

    def store(self, raw, mail_from, rcpts):
        self.count += 1
        with open(os.path.join(self.folder, "mail", "%d" % self.count),
                  "wb") as f:
            f.write(raw)
        m = re.search(rb"(?im)^message-id:\s*(<[^>\r\n]*>)", raw)
        self.log("DATA from=<%s> to=%s len=%d sha256=%s id=%s" % (
            mail_from, ",".join(rcpts), len(raw),
            hashlib.sha256(raw).hexdigest(),
            m.group(1).decode() if m else "-"))

    def auth_ok(self, b64):
        try:
            parts = base64.b64decode(b64).split(b"\0")
        except ValueError:
            return False
        return len(parts) == 3 and parts[1].decode() == self.user and \
            parts[2].decode() == self.password

    async def handle(self, reader, writer):
        c = Conn(self, reader, writer)
        mail_from, rcpts, authed = None, [], False
        try:
            await c.reply("220 localhost slow ESMTP (test)")
            while True:
                line = await c.line()
                verb = line.split(" ", 1)[0].upper()
                arg = line[len(verb) + 1:]
                if verb in ("EHLO", "HELO"):
                    await c.reply("250-localhost\r\n250-AUTH PLAIN\r\n"
                                  "250 8BITMIME")
                elif verb == "AUTH":
                    words = arg.split()
                    if len(words) < 2:
                        await c.reply("334 ")
                        words.append(await c.line())
                    authed = self.auth_ok(words[1])
                    self.log("AUTH %s" % ("ok" if authed else "refused"))
                    await c.reply("235 2.7.0 ok" if authed else
                                  "535 5.7.8 no (test)")
                elif verb == "MAIL":
                    if not authed:
                        await c.reply("530 5.7.0 authenticate first")
                        continue
                    mail_from = re.sub(r"^FROM:<?|>.*$", "", arg, flags=re.I)
                    rcpts = []
                    self.log("MAIL from=<%s>" % mail_from)
                    await c.reply("250 2.1.0 ok")
                elif verb == "RCPT":
                    rcpts.append(re.sub(r"^TO:<?|>.*$", "", arg, flags=re.I))
                    await c.reply("250 2.1.5 ok")
                elif verb == "DATA":
                    if mail_from is None or not rcpts:
                        await c.reply("503 5.5.1 no valid recipients")
                        continue
                    mode = self.mode()
                    await c.reply("354 go ahead (test)")
                    if "stall" in mode:
                        await asyncio.sleep(float(mode["stall"]))
                    try:
                        raw = await c.data(mode)
                    except ConnectionError:
                        self.log("LOST during DATA after %d bytes" %
                                 len(c.buf))
                        raise
                    self.store(raw, mail_from, rcpts)
                    if "hold" in mode:
                        await asyncio.sleep(float(mode["hold"]))
                    mail_from, rcpts = None, []
                    await c.reply("250 2.0.0 stored (test)")
                elif verb == "RSET":
                    self.log("RSET")
                    mail_from, rcpts = None, []
                    await c.reply("250 2.0.0 ok")
                elif verb == "NOOP":
                    await c.reply("250 2.0.0 ok")
                elif verb == "QUIT":
                    self.log("QUIT")
                    await c.reply("221 2.0.0 bye")
                    break
                else:
                    self.log("UNKNOWN %s" % line[:100])
                    await c.reply("500 5.5.2 what? (test)")
        except (ConnectionError, OSError, ssl.SSLError,
                asyncio.IncompleteReadError):
            pass
        try:
            writer.close()
        except (ConnectionError, OSError, ssl.SSLError):
            pass


def main():
    folder, port, small, cert, key, user, password = sys.argv[1:8]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    server = Server(folder, user, password)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(asyncio.start_server(
        server.handle, "127.0.0.1", int(port), ssl=ctx, limit=LIMIT))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Inherited by the accepted connections, before the window is agreed.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.bind(("127.0.0.1", int(small)))
    loop.run_until_complete(asyncio.start_server(
        server.handle, sock=sock, ssl=ctx, limit=LIMIT))
    loop.run_forever()


if __name__ == "__main__":
    main()
