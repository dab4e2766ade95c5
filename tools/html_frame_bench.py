#!/usr/bin/env python3
"""Frame time of an incimap `index.html` in headless Chromium, while the map is zoomed and panned.

Usage: tools/html_frame_bench.py PAGE.html [--frames N] [--rounds R] [--chromium PATH]

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`, standard library only, no
network). After the page has loaded, a harness that belongs to this script (not to the page, so that any two
versions of the page are measured alike) runs N animation frames; in each it sends one wheel event to the
element at the centre of the window (alternately zooming in and out) or, every third frame, a short drag,
and records the `requestAnimationFrame` timestamps. The interval between frames is what a user feels: the
page's handlers, its redraw, style, layout, paint and compositing. Prints one JSON object: the page's load
time (navigation start to the end of the load event, ms), the first frame after load (ms), and the frame
intervals' median, mean, 95th percentile and maximum (ms), per round and over all rounds.
"""

import argparse
import fcntl
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HARNESS = r"""
(function (frames) {
  return new Promise(function (resolve) {
    var w = window.innerWidth, h = window.innerHeight, cx = w / 2, cy = h / 2;
    var target = document.elementFromPoint(cx, cy) || document.body;
    var stamps = [], i = 0;
    function wheel(dy) {
      (document.elementFromPoint(cx, cy) || target).dispatchEvent(new WheelEvent("wheel",
        { deltaY: dy, clientX: cx, clientY: cy, bubbles: true, cancelable: true }));
    }
    function drag(dx) {
      var t = document.elementFromPoint(cx, cy) || target;
      var o = { clientX: cx, clientY: cy, bubbles: true, pointerId: 1, isPrimary: true, button: 0 };
      t.dispatchEvent(new PointerEvent("pointerdown", o));
      o.clientX = cx + dx;
      window.dispatchEvent(new PointerEvent("pointermove", o));
      window.dispatchEvent(new PointerEvent("pointerup", o));
    }
    function step(ts) {
      stamps.push(ts);
      if (i >= frames) {
        var iv = [];
        for (var j = 1; j < stamps.length; j++) iv.push(stamps[j] - stamps[j - 1]);
        resolve(iv);
        return;
      }
      if (i % 3 === 2) drag(i % 2 ? 40 : -40); else wheel(i % 2 ? 120 : -120);
      i++;
      requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  });
})
"""


class Cdp:
    """The DevTools protocol over Chromium's pipe: JSON messages ended by a NUL byte."""

    def __init__(self, chromium, url_dir):
        self.profile = tempfile.TemporaryDirectory()
        def high(fd):  # out of the way of 3 and 4, so that placing one cannot overwrite the other
            moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
            os.close(fd)
            return moved

        r_in, w_in = map(high, os.pipe())  # we write, Chromium reads (its fd 3)
        r_out, w_out = map(high, os.pipe())  # Chromium writes (its fd 4), we read

        def child_fds():
            os.dup2(r_in, 3)  # dup2 clears close-on-exec on the new descriptor
            os.dup2(w_out, 4)

        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,900",
                f"--user-data-dir={self.profile.name}", "about:blank"]
        self.proc = subprocess.Popen(args, close_fds=False, preexec_fn=child_fds,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r_in)
        os.close(w_out)
        self.w = os.fdopen(w_in, "wb")
        self.r = os.fdopen(r_out, "rb")
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read(self):
        while b"\0" not in self.buf:
            chunk = self.r.read1(1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.w.write(json.dumps(msg).encode() + b"\0")
        self.w.flush()
        while True:
            m = self._read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_event(self, method, timeout=120):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read())
        raise RuntimeError(f"no {method} within {timeout} s")

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=30)
        self.profile.cleanup()


def measure(cdp, url, frames):
    target = cdp.call("Target.createTarget", url="about:blank")["targetId"]
    session = cdp.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    cdp.call("Page.enable", session)
    cdp.call("Runtime.enable", session)
    cdp.call("Page.navigate", session, url=url)
    cdp.wait_event("Page.loadEventFired")
    load = cdp.call("Runtime.evaluate", session, returnByValue=True, awaitPromise=True, expression="""
      new Promise(function (ok) { requestAnimationFrame(function () { var t0 = performance.now();
        requestAnimationFrame(function () { var n = performance.getEntriesByType('navigation')[0];
          ok({ load_ms: n.loadEventEnd, first_frame_ms: performance.now() - t0 }); }); }); })""")
    res = cdp.call("Runtime.evaluate", session, returnByValue=True, awaitPromise=True,
                   expression=f"({HARNESS})({frames})")
    if "exceptionDetails" in res:
        raise RuntimeError(json.dumps(res["exceptionDetails"]))
    cdp.call("Target.closeTarget", targetId=target)
    return load["result"]["value"], res["result"]["value"]


def summary(iv):
    s = sorted(iv)
    return {"frames": len(s), "median_ms": round(statistics.median(s), 2), "mean_ms": round(statistics.mean(s), 2),
            "p95_ms": round(s[int(0.95 * (len(s) - 1))], 2), "max_ms": round(s[-1], 2)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("page")
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--chromium", default="chromium")
    a = ap.parse_args()
    url = "file://" + os.path.abspath(a.page)
    cdp = Cdp(a.chromium, os.path.dirname(os.path.abspath(a.page)))
    try:
        rounds, all_iv = [], []
        for _ in range(a.rounds):
            load, iv = measure(cdp, url, a.frames)
            # The first few frames after load also pay for warming caches: kept out of the figures.
            iv = iv[5:]
            all_iv += iv
            rounds.append({**{k: round(v, 1) for k, v in load.items()}, **summary(iv)})
    finally:
        cdp.close()
    print(json.dumps({"page": a.page, "bytes": os.path.getsize(a.page), "rounds": rounds, "all": summary(all_iv)}))


if __name__ == "__main__":
    sys.exit(main())
