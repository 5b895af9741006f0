"""The two loads of the load benchmark (tests/bench/bench_load.py), run at the same time:

- the public: wrk with many connections rotating over the public pages, with a Lua script that
  counts every response by status and prints the latency percentiles (wrk's own "Non-2xx or
  3xx" line lumps redirects with errors and gives no p95);
- the staff: sessions in threads of this process, each a person logged in with both steps,
  reading pages and saving forms with their CSRF token, every request recorded.
"""

import http.client
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERRORLIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
TAGS = re.compile(r"<[^>]+>")

# --- The public: wrk ------------------------------------------------------------------------------

LUA = """
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  counts = {}
  -- each thread starts elsewhere in the list
  n = (id * 7) %% #paths
end

function request()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %%d %%d\\n", status, count))
  end
  for _, p in ipairs({50, 90, 95, 99, 99.9}) do
    io.write(string.format("latency %%g %%d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("latency max %%d\\n", latency.max))
  local e = summary.errors
  io.write(string.format("errors %%d %%d %%d %%d %%d\\n",
    e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format("summary %%d %%d %%d\\n",
    summary.requests, summary.duration, summary.bytes))
end
"""


def wrk_command(port: int, paths: list[str], connections: int, seconds: int, timeout: int):
    """The wrk command line and its Lua script (a temporary file the caller removes)."""
    script = tempfile.NamedTemporaryFile(  # noqa: SIM115 - removed by the caller
        "w", prefix="pmot-bench-load-", suffix=".lua", delete=False
    )
    script.write(LUA % {"paths": ", ".join(f'"{path}"' for path in paths)})
    script.close()
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s"]
    command += ["-s", script.name, f"http://127.0.0.1:{port}{paths[0]}"]
    return command, Path(script.name)


def parse_wrk(text: str) -> dict:
    """The lines printed by the Lua `done` above: statuses, latency in ms, socket errors."""
    statuses = {int(s): int(n) for s, n in re.findall(r"^status (\d+) (\d+)$", text, re.M)}
    latency = {p: int(us) / 1000 for p, us in re.findall(r"^latency (\S+) (\d+)$", text, re.M)}
    errors = re.search(r"^errors (\d+) (\d+) (\d+) (\d+) (\d+)$", text, re.M)
    summary = re.search(r"^summary (\d+) (\d+) (\d+)$", text, re.M)
    if not (errors and summary and latency):
        raise RuntimeError(f"Unexpected wrk output:\n{text}")
    requests, duration, size = (int(x) for x in summary.groups())
    names = ("connect", "read", "write", "status", "timeout")
    return {
        "statuses": statuses,
        "latency": latency,
        "socket": dict(zip(names, (int(x) for x in errors.groups()), strict=True)),
        "requests": requests,
        "seconds": duration / 1e6,
        "rate": requests / (duration / 1e6),
        "bytes": size,
        "output": text,
    }


# --- The staff: sessions in threads ----------------------------------------------------------


@dataclass
class Hit:
    """One request of a staff session."""

    session: int
    kind: str  # "read", "form" or the name of the save
    method: str
    path: str
    status: int  # 0: no answer (the exception in `problem`)
    seconds: float
    ok: bool
    problem: str = ""
    mark: str = ""  # the save's own mark (reference or note), to find its row afterwards


@dataclass
class Session:
    """A person logged in (a verified session cookie), the pages they read and the saves they
    make in turn: each save is (name, form page, address, fields without the token, mark
    field); "{mark}" in a value becomes the save's own mark."""

    number: int
    username: str
    cookie_name: str
    cookie: str
    reads: list[str]
    saves: list[tuple[str, str, str, dict, str]]
    hits: list[Hit] = field(default_factory=list)
    run: int = 1  # the benchmark's run, part of each save's mark


class Client:
    """A browser reduced to what the staff do: cookies kept, one connection per request (the
    sync workers close each connection anyway)."""

    def __init__(self, port: int, session: Session):
        self.port, self.session = port, session
        self.cookies = {session.cookie_name: session.cookie}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, content.decode("utf-8", "replace"), seconds


def run_session(port: int, session: Session, start: threading.Event, until: list[float]) -> None:
    """Read, open the form, save; again until the end of the run. Every request is recorded;
    nothing stops the loop but the clock."""
    client = Client(port, session)
    start.wait()
    turn = 0
    while time.monotonic() < until[0]:
        read = session.reads[turn % len(session.reads)]
        name, form_page, address, fields, mark_field = session.saves[turn % len(session.saves)]
        _hit(client, session, "read", "GET", read)
        page = _hit(client, session, "form", "GET", form_page)
        token = TOKEN.search(page) if page is not None else None
        if token is not None:
            mark = f"load-{session.run}-{session.number}-{turn}"
            form = {k: v.replace("{mark}", mark) for k, v in fields.items()}
            form["csrfmiddlewaretoken"] = token[1]
            _hit(client, session, name, "POST", address, form, mark)
        elif page is not None:
            session.hits[-1].ok = False
            session.hits[-1].problem = "no CSRF token in the form page"
        turn += 1


def _hit(client, session, kind, method, path, form=None, mark=""):
    """One request recorded; returns the page's text when it is the expected answer (200 for a
    GET, a redirect for a save), else None."""
    start = time.perf_counter()
    try:
        status, headers, text, seconds = client.request(method, path, form)
    except (OSError, http.client.HTTPException) as error:
        hit = Hit(session.number, kind, method, path, 0, time.perf_counter() - start, False)
        hit.problem, hit.mark = f"{type(error).__name__}: {error}", mark
        session.hits.append(hit)
        return None
    expected = 302 if method == "POST" else 200
    hit = Hit(session.number, kind, method, path, status, seconds, status == expected, mark=mark)
    if not hit.ok:
        hit.problem = _problem(status, headers, text)
    session.hits.append(hit)
    return text if hit.ok else None


def _problem(status: int, headers, text: str) -> str:
    if status in (301, 302, 303):
        return f"redirected to {headers.get('Location')}"
    errors = [TAGS.sub(" ", found).strip() for found in ERRORLIST.findall(text)]
    return f"{status}: " + ("; ".join(errors)[:300] if errors else text[:200].strip())
