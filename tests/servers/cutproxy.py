"""cutproxy.py: a TCP proxy for nintei's tests that breaks connections
midway: each connection to LISTEN_PORT on 127.0.0.1 is passed on to
TARGET_PORT, and both sides are closed abruptly once the server has sent
CUT bytes (0: never), as a network failure in the middle of a fetch would.

usage: cutproxy.py LISTEN_PORT TARGET_PORT CUT
"""

import asyncio
import sys


async def pump(reader, writer, counted, cut, done):
    sent = 0
    try:
        while not done.is_set():
            data = await reader.read(16384)
            if not data:
                break
            if counted and cut > 0 and sent + len(data) >= cut:
                writer.write(data[:max(cut - sent, 0)])
                await writer.drain()
                break
            sent += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    done.set()


def serve(target, cut):
    async def handle(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection("127.0.0.1",
                                                             target)
        except OSError:
            cwriter.close()
            return
        done = asyncio.Event()
        await asyncio.wait([
            asyncio.ensure_future(pump(creader, swriter, False, cut, done)),
            asyncio.ensure_future(pump(sreader, cwriter, True, cut, done))],
            return_when=asyncio.FIRST_COMPLETED)
        for w in (cwriter, swriter):
            w.transport.abort()
    return handle


def main():
    listen, target, cut = (int(a) for a in sys.argv[1:4])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(asyncio.start_server(serve(target, cut),
                                                 "127.0.0.1", listen))
    loop.run_forever()


if __name__ == "__main__":
    main()
