"""A throwaway PostgreSQL server for the target-postgres tests: `initdb` in a temporary folder,
`pg_ctl start` on a free loopback port, `pg_ctl stop` and the folder removed afterwards.

PostgreSQL refuses to run as root, so under root (CI) the server runs as the `postgres` user
that Debian's package creates."""
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "tester"
PASSWORD = "tester-password"
COMMAND_TIMEOUT = 120  # seconds; a safety net for a stuck server, not an expectation


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir():
    """The folder holding initdb, pg_ctl and psql: PATH first, then Debian's layout."""
    on_path = shutil.which("initdb")
    if on_path:
        folder = Path(os.path.realpath(on_path)).parent
        if (folder / "pg_ctl").exists() and (folder / "psql").exists():
            return folder
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if versions:
        return Path(versions[-1]).parent
    raise PostgresUnavailable("no PostgreSQL server programs (initdb) on PATH or in /usr/lib/postgresql "
                              "(`make system-deps` installs them)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TempPostgres:
    def __init__(self):
        self.bindir = find_bindir()
        self.workdir = Path(tempfile.mkdtemp(prefix="tap-ecosystem-pg-"))
        self.data = self.workdir / "data"
        self.port = None
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no 'postgres' user to run the "
                                          "server as") from None
            os.chown(self.workdir, self.user.pw_uid, self.user.pw_gid)

    def _run(self, program, *args):
        kwargs = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid,
                      "env": dict(os.environ, HOME=self.user.pw_dir)}
        done = subprocess.run([str(self.bindir / program)] + list(args), capture_output=True, text=True,
                              cwd=str(self.workdir), timeout=COMMAND_TIMEOUT, **kwargs)
        if done.returncode != 0:
            raise RuntimeError("{} failed ({}): {}{}".format(program, done.returncode, done.stdout, done.stderr))
        return done.stdout

    def start(self):
        password_file = self.workdir / "password"
        password_file.write_text(PASSWORD + "\n")
        if self.user is not None:
            os.chown(password_file, self.user.pw_uid, self.user.pw_gid)
        # scram-sha-256 over TCP: the target logs in with a password, as against a real server.
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--pwfile", str(password_file),
                  "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync")
        self.port = free_port()
        options = "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c full_page_writes=off".format(
            self.port, self.workdir)
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.workdir / "server.log"),
                  "-w", "-t", str(COMMAND_TIMEOUT), "start")
        return self

    def stop(self):
        try:
            if self.port is not None:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def target_config(self, schema, **extra):
        config = {"host": "127.0.0.1", "port": self.port, "user": SUPERUSER, "password": PASSWORD,
                  "database": "postgres", "default_target_schema": schema}
        config.update(extra)
        return config

    def query(self, sql):
        """Rows of `sql` as dicts, through psql over TCP with the password."""
        wrapped = "SELECT coalesce(json_agg(row_to_json(q)), '[]'::json) FROM ({}) q".format(sql)
        done = subprocess.run(
            [str(self.bindir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", SUPERUSER, "-d", "postgres", "-c", wrapped],
            capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
            env=dict(os.environ, PGPASSWORD=PASSWORD))
        if done.returncode != 0:
            raise RuntimeError("psql failed: {}".format(done.stderr))
        return json.loads(done.stdout)
