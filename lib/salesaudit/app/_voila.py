"""The workshop's Voilà server, hardened for client data on a consultant's laptop.

``python -m salesaudit.app._voila NOTEBOOK [voila options]`` runs Voilà with four additions
that stock Voilà does not give:

- **a token**: read from ``$SALESAUDIT_WORKSHOP_TOKEN`` (removed from the environment before
  any kernel starts, so it is never on a command line that ``ps`` shows); every page and kernel
  connection needs it (``?token=`` once, then Jupyter's login cookie);
- **Host and Origin checks**: Voilà turns jupyter_server's DNS-rebinding protection off
  (``allow_remote_access=True``); here it is on again, so a request whose ``Host`` header is not
  a loopback address or ``localhost`` is refused with 403, and a kernel WebSocket opened from
  another origin is refused by jupyter_server's origin check;
- **a cap on kernels**: every page load starts a kernel; more than ``max_kernels`` at once is
  answered with 503 and a message instead of exhausting the laptop's memory;
- **idle culling**: a kernel with no browser connected and no activity for
  ``MappingKernelManager.cull_idle_timeout`` seconds is shut down (connected kernels are never
  culled, so a long pause in the workshop loses nothing).

The page template (``salesaudit``, beside this module in ``voila_templates/``) is Voilà's lab
template without its CDN stylesheet links: the page loads nothing from outside the server.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer
from voila.app import Voila

from salesaudit.app.workshop import ENV_TOKEN


class CappedKernelManager(AsyncMappingKernelManager):
    """A kernel manager that refuses to start more than ``max_kernels`` kernels at once."""

    max_kernels = Integer(4, config=True, help="most kernels (open pages) at once")

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel, or raise 503 when ``max_kernels`` are already running."""
        if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= self.max_kernels:
            raise web.HTTPError(
                503,
                reason="Too many open workshop pages",
                log_message=(
                    f"{self.max_kernels} workshop pages are open already; close one "
                    "(or wait until an abandoned one is shut down) and reload"
                ),
            )
        return await super().start_kernel(*args, **kwargs)


class WorkshopVoila(Voila):
    """Voilà with the Host check on (loopback and ``localhost`` only)."""

    def init_settings(self) -> dict:
        settings = super().init_settings()
        settings["allow_remote_access"] = False
        settings["local_hostnames"] = ["localhost"]
        return settings


def main(argv: list[str] | None = None) -> None:
    """Run the server with the token from :data:`ENV_TOKEN` (required, never on argv)."""
    token = os.environ.pop(ENV_TOKEN, "")
    if not token:
        sys.exit(f"{ENV_TOKEN} is not set: start the workshop with `salesaudit workshop`")
    WorkshopVoila.launch_instance(argv=argv, token=token)


if __name__ == "__main__":  # pragma: no cover - run as a subprocess by the workshop command
    main()
