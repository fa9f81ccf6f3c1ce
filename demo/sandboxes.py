"""Both sandbox APIs on loopback, driven through their HTTP control routes
(`/_sandbox/truth`, `/stats`, `/mutate`) as any user could, and the tap config that reaches each.

The servers run on threads of the calling process: Front's data is built to end two minutes
before the run starts, so that a tap's default end ("now") covers all of it and the changes
made later come after it, which `python -m sandbox` (data ending on a fixed date) cannot do.
"""
import json
import time
import urllib.request

from sandbox import make_app
from sandbox.server import SandboxServer

DAY = 86400
MODE_START_DATE = "2020-01-01T00:00:00Z"  # before all of the Mode sandbox's data


class Sandbox:
    def __init__(self, app, scale="small", seed=1):
        self.app = app
        self.scale = scale
        self.seed = seed
        self.server = None

    def start(self):
        options = {"anchor": int(time.time()) - 120} if self.app == "front" else {}
        self.server = SandboxServer(make_app(self.app, seed=self.seed, scale=self.scale, **options),
                                    seed=self.seed).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self):
        return self.server.base_url

    def tap_config(self):
        if self.app == "front":
            world_start = self.server.app.world.start
            first_day = time.gmtime(world_start - world_start % DAY)
            return {"token": "sandbox-token", "base_url": self.base_url,
                    "start_date": time.strftime("%Y-%m-%dT%H:%M:%SZ", first_day),
                    # The sandbox computes analytics reports at once: no need to wait 2 s a poll.
                    "analytics_poll_seconds": 0.05}
        return {"access_token": "sandbox-token", "password": "sandbox-secret", "workspace": "acme",
                "base_url": self.base_url, "start_date": MODE_START_DATE}

    # -- control routes ------------------------------------------------------------------
    def _call(self, method, route, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + "/_sandbox/" + route, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def truth(self):
        return self._call("GET", "truth")["streams"]

    def stats(self):
        return self._call("GET", "stats")

    def reset_stats(self):
        self._call("POST", "stats/reset", {})

    def mutate(self, count):
        return self._call("POST", "mutate", {"count": count})["changed"]

