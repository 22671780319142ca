"""kubeconform's command line, parsed with Go `flag` semantics.

Flags come before the files; `-flag value`, `-flag=value` and `--flag` all work; booleans
take no value (or `=true`/`=false`); the first argument that is not a flag ends them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BOOLEAN = {"strict", "summary", "verbose", "ignore-missing-schemas", "exit-on-error",
           "insecure-skip-tls-verify", "debug", "h", "help", "v"}
STRINGS = {"output", "kubernetes-version", "skip", "reject", "cache", "n"}
REPEATED = {"schema-location", "ignore-filename-pattern"}

USAGE = """Usage: {prog} [OPTION]... [FILE OR FOLDER]...
  -cache string
    \tcache schemas downloaded via HTTP to this folder
  -debug
    \tprint debug information
  -exit-on-error
    \timmediately stop execution when the first error is encountered
  -h\tshow help information
  -ignore-filename-pattern value
    \tregular expression specifying paths to ignore (can be specified multiple times)
  -ignore-missing-schemas
    \tskip files with missing schemas instead of failing
  -insecure-skip-tls-verify
    \tdisable verification of the server's SSL certificate
  -kubernetes-version string
    \tversion of Kubernetes to validate against, e.g.: 1.18.0 (default "master")
  -n int
    \tnumber of goroutines to run concurrently (default 4)
  -output string
    \toutput format - json, junit, pretty, tap, text (default "text")
  -reject string
    \tcomma-separated list of kinds or GVKs to reject
  -schema-location value
    \toverride schemas location search path (can be specified multiple times)
  -skip string
    \tcomma-separated list of kinds or GVKs to ignore
  -strict
    \tdisallow additional properties not in schema or duplicated keys
  -summary
    \tprint a summary at the end (ignored for junit output)
  -v\tshow version information
  -verbose
    \tprint results for all resources (ignored for tap and junit output)
"""


class FlagError(Exception):
    """What Go's flag package would print before the usage text."""


@dataclass
class Options:
    strict: bool = False
    summary: bool = False
    verbose: bool = False
    ignore_missing_schemas: bool = False
    exit_on_error: bool = False
    help: bool = False
    version: bool = False
    output: str = "text"
    kubernetes_version: str = "master"
    skip: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    cache: str = ""
    schema_locations: list[str] = field(default_factory=list)
    ignore_filename_patterns: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    workers: int = 4  # -n, kubeconform's default


def _set(options: Options, name: str, value: str | bool) -> None:
    if name in ("h", "help"):
        options.help = bool(value)
    elif name == "v":
        options.version = bool(value)
    elif name in BOOLEAN:
        setattr(options, name.replace("-", "_"), bool(value))
    elif name == "schema-location":
        options.schema_locations.append(str(value))
    elif name == "ignore-filename-pattern":
        options.ignore_filename_patterns.append(str(value))
    elif name in ("skip", "reject"):
        setattr(options, name, tuple(k for k in str(value).split(",") if k))
    elif name == "n":
        if not str(value).lstrip("-").isdigit():
            raise FlagError(f'invalid value "{value}" for flag -n: parse error')
        options.workers = max(1, int(str(value)))
    else:
        setattr(options, name.replace("-", "_"), str(value))


def parse(argv: list[str]) -> Options:
    options = Options()
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            index += 1
            break
        if not arg.startswith("-") or arg == "-":
            break
        name, has_value, value = arg.lstrip("-").partition("=")
        if name not in BOOLEAN | STRINGS | REPEATED:
            raise FlagError(f"flag provided but not defined: -{name}")
        if name in BOOLEAN:
            if has_value and value not in ("true", "false", "1", "0", "t", "f"):
                raise FlagError(f'invalid boolean value "{value}" for -{name}: parse error')
            _set(options, name, value in ("true", "1", "t") if has_value else True)
        elif has_value:
            _set(options, name, value)
        elif index + 1 < len(argv):
            index += 1
            _set(options, name, argv[index])
        else:
            raise FlagError(f"flag needs an argument: -{name}")
        index += 1
    options.files = argv[index:]
    return options
