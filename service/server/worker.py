"""gunicorn's gevent worker with the service's deadlines and error pages (see the package)."""

from typing import TYPE_CHECKING, Any

import gevent
from gunicorn import util
from gunicorn.workers.ggevent import GeventWorker

from service.server import signals
from service.server.deadlines import SEND_TIMEOUT_S, with_deadline
from service.server.errors import write_problem
from service.server.framing import check_head, close_unless_read, linger, read_to_end

if TYPE_CHECKING:
    from gevent.socket import socket as GeventSocket
    from gunicorn._types import _AddressType
    from gunicorn.http.message import Request


class Worker(GeventWorker):
    """gunicorn's gevent worker with the deadlines and error pages of the package."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # gunicorn makes a worker in the master just before it forks it.
        super().__init__(*args, **kwargs)
        signals.hold()

    def init_signals(self) -> None:
        super().init_signals()
        signals.release()  # a stop sent while this worker booted reaches its handler now

    def init_process(self) -> None:
        util.write_error = write_problem
        super().init_process()

    def run(self) -> None:
        try:
            super().run()
        finally:
            signals.ignore_stops()  # leaving: a stop from the master may come late (see signals)

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.wsgi = with_deadline(self.wsgi)

    def handle(self, listener: "GeventSocket", client: "GeventSocket",
               addr: "_AddressType") -> None:
        client.settimeout(SEND_TIMEOUT_S)  # GeventWorker.handle would make it block forever
        super(GeventWorker, self).handle(listener, client, addr)

    def handle_request(self, listener_name: "_AddressType", req: "Request", sock: "GeventSocket",
                       addr: "_AddressType") -> bool:
        check_head(req)  # what it raises, gunicorn answers as its own errors (write_problem)
        close_unless_read(req)
        try:
            keep_alive = super().handle_request(listener_name, req, sock, addr)
        except TimeoutError:
            self.log.info("Closed a connection whose client did not read its answer in %g s",
                          SEND_TIMEOUT_S)
            raise StopIteration() from None
        except StopIteration:  # the connection closes after this answer
            if not read_to_end(req):
                linger(sock)
            raise
        # Take turns: a keep-alive client whose next request is already waiting would otherwise
        # be served again and again without a yield, and the others starve (p99 of 1 s at 16
        # connections, measured with wrk).
        gevent.sleep(0)
        return keep_alive
