"""Report parameters, metrics and files to Hone from any Python script. Standard library only.

    import hone
    params = hone.init({"lr": 0.01, "layers": 2})   # returns the params, with `hone exec --set` values applied
    for step in range(100):
        hone.log(step, loss=0.25, val_accuracy=0.91)
    hone.save("model.pt")                            # copied into the run's artifacts/ when the run ends

Under `hone exec -- python3 train.py`, Hone puts this file on PYTHONPATH and sets HONE_METRICS_FILE; each
call appends one JSON line to that file (the protocol in docs/exec-protocol.md). Outside Hone the calls
do nothing, after a one-time notice on stderr, so the same script runs anywhere. No call raises over a
bad value: a training run is never lost to its bookkeeping.
"""

import collections.abc
import json
import math
import os
import sys

__all__ = ["init", "log", "save", "active"]

_fd = None
_noticed = False
_warned = set()


def active():
    """Whether this process runs under Hone (HONE_METRICS_FILE is set)."""
    return bool(os.environ.get("HONE_METRICS_FILE"))


def _inactive():
    """True outside Hone, after the one-time notice that nothing is recorded."""
    global _noticed
    if active():
        return False
    if not _noticed:
        _noticed = True
        sys.stderr.write("hone: not running under `hone exec`; parameters and metrics are not recorded\n")
    return True


def _warn(text, once=None):
    """A line on stderr; with `once`, only the first time for that key (a training loop would repeat it)."""
    if once is not None:
        if once in _warned:
            return
        _warned.add(once)
    sys.stderr.write(text + "\n")


def _shown(value):
    """A value as a warning quotes it: repr(), cut short (a tensor's repr can be long)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _scalar(value):
    """`value.item()` for NumPy and PyTorch scalars; the value itself without one, or when it fails (a tensor of several elements)."""
    if hasattr(value, "item"):
        try:
            return value.item()
        except Exception:
            pass
    return value


def _number(value):
    """A metric as JSON has it: a float, or "NaN"/"Infinity"/"-Infinity" (JSON has no such numbers). Raises when float() does."""
    x = float(_scalar(value))
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _count(value):
    """A step or epoch as the protocol takes it, a whole number >= 0; None for anything else."""
    try:
        x = _scalar(value)
        if not isinstance(x, int):
            x = float(x)
            if not x.is_integer():
                return None
        x = int(x)
    except Exception:
        return None
    return x if x >= 0 else None


def _plain(value):
    """A parameter as JSON can hold it: numbers, strings, lists and mappings as they are, anything else as str()."""
    value = _scalar(value)
    if isinstance(value, float):
        return _number(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, collections.abc.Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, collections.abc.Sequence) and not isinstance(value, (bytes, bytearray)):
        return [_plain(v) for v in value]
    return str(value)


def _write(obj):
    """Appends one line with a single write() on an O_APPEND descriptor: lines from several processes never interleave."""
    global _fd
    if _inactive():
        return
    if _fd is None:
        _fd = os.open(os.environ["HONE_METRICS_FILE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    data = (json.dumps(obj, allow_nan=False) + "\n").encode("utf-8")
    while data:
        data = data[os.write(_fd, data):]


def _as_dict(params):
    """The script's parameters as a new dict: a mapping (dict, UserDict, OmegaConf's DictConfig) by its items,
    an argparse.Namespace (or another object with attributes) by vars()."""
    if params is None:
        return {}
    if isinstance(params, collections.abc.Mapping):
        return dict(params.items())
    try:
        return dict(vars(params))
    except TypeError:
        raise TypeError("hone.init: params should be a dict or an argparse.Namespace, not " + type(params).__name__) from None


def _overrides():
    """The `hone exec --set` values (HONE_PARAMS, a JSON object), as `hone exec` parsed them."""
    text = os.environ.get("HONE_PARAMS") or "{}"
    try:
        sets = json.loads(text)
    except ValueError:
        sets = None
    if not isinstance(sets, dict):
        _warn("hone: HONE_PARAMS is not a JSON object; --set values are not applied: " + text[:200])
        return {}
    return sets


def _key(level, name):
    """The key of `level` that `name` means: itself, or with '-' as '_' (argparse stores --batch-size as batch_size)."""
    if not isinstance(level, collections.abc.Mapping):
        return None
    for key in (name, name.replace("-", "_")):
        if key in level:
            return key
    return None


def _path(params, name):
    """Where `--set name=...` goes in `params`: the keys from the top (`model.layers` into a nested
    dict when there is no key "model.layers" itself), or None when the script has no such parameter."""
    whole = _key(params, name)
    if whole is not None:
        return [whole]
    path, level = [], params
    for part in name.split("."):
        key = _key(level, part)
        if key is None:
            return None
        path.append(key)
        level = level[key]
    return path


def _typed(value, default):
    """A `--set` value as the type of the script's own default, and why not when a string does not read as it.
    `hone exec` parses values as JSON, so Python spellings (`.001`, `1.`, `+1`, `True`) arrive as strings."""
    if isinstance(default, bool):
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true", None
        if type(value) is int and value in (0, 1):
            return bool(value), None
        return value, "true or false" if isinstance(value, str) else None
    if isinstance(default, (int, float)):
        whole = isinstance(default, int)
        if isinstance(value, str):
            try:
                x = float(value)
            except ValueError:
                return value, "a whole number" if whole else "a number"
            if not whole:
                return x, None
            if x.is_integer():
                return int(x), None
            return value, "a whole number"
        if not whole and type(value) is int:
            return float(value), None
    return value, None


def _set_text(name, value):
    """`name=value` as typed after --set: strings bare, other values as JSON."""
    return name + "=" + (value if isinstance(value, str) else json.dumps(value))


def _apply(params, name, value):
    """Puts `--set name=value` where `_path` finds it in `params`, as the type of the value it replaces
    (nested dicts on the way are copied: the caller's stay as they were). Returns the path, or None after
    a warning when the script has no such parameter."""
    path = _path(params, name)
    if path is None:
        _warn("hone: --set %s: the script has no parameter %r, so it is not applied (it has: %s)"
              % (_set_text(name, value), name, ", ".join(sorted(map(str, params))) or "none"))
        return None
    level = params
    for key in path[:-1]:
        level[key] = dict(level[key].items())
        level = level[key]
    default = level[path[-1]]
    level[path[-1]], expected = _typed(value, default)
    if expected:
        _warn("hone: --set %s: expected %s, like the script's default %s = %s; passed on as given"
              % (_set_text(name, value), expected, ".".join(path), _shown(default)))
    return path


def init(params=None, **kw):
    """Records the run's parameters and returns them as a dict.

    `params` is a mapping (a dict, OmegaConf's DictConfig) or an argparse.Namespace; keyword arguments
    are added to it. Values given with `hone exec --set name=value` (passed in HONE_PARAMS) replace the
    script's own: `name` as the script spells it, with '-' for '_' (`batch-size` sets batch_size), or a
    dotted path into nested dicts (`model.layers`); a string becomes the type of the script's default
    when it reads as one (`lr=.001` the float 0.001). A name the script does not have is not applied and
    a warning says so. The returned dict is what the run should use, and what Hone records.
    """
    merged = _as_dict(params)
    merged.update(kw)
    # --set names not taken as given (applied under another spelling, or not at all): Hone drops them
    # from the run's params, which then hold what the script used.
    unused = []
    for name, value in _overrides().items():
        if _apply(merged, name, value) != [name]:
            unused.append(name)
    line = {"params": _plain(merged)}
    if unused:
        line["unused"] = unused
    _write(line)
    return merged


def log(step=None, metrics=None, epoch=None, **kw):
    """Records one row of metrics: hone.log(step, loss=0.2, val_accuracy=0.9) or hone.log(step, {"loss": 0.2}).

    `step` and `epoch` are optional whole numbers >= 0 (Hone numbers rows 1, 2, ... when `epoch` is absent).
    Values are anything float() takes (NumPy and PyTorch scalars too); NaN and infinities are kept. A value
    that is not a number (None, "n/a") is left out, as is a step or epoch that is not a whole number >= 0,
    with a warning on stderr the first time for each name: the run goes on.
    """
    if _inactive():
        return
    values = {}
    if isinstance(metrics, collections.abc.Mapping):
        values.update(metrics)
    elif metrics is not None:
        _warn("hone.log: metrics should be a dict of name: number, not %s; left out" % _shown(metrics), once="metrics")
    values.update(kw)
    numbers = {}
    for name, value in values.items():
        try:
            numbers[str(name)] = _number(value)
        except Exception:
            _warn("hone.log: %s=%s is not a number; left out (warned once per metric)" % (name, _shown(value)), once=("metric", str(name)))
    line = {"metrics": numbers}
    for key, value in (("step", step), ("epoch", epoch)):
        if value is None:
            continue
        count = _count(value)
        if count is None:
            _warn("hone.log: %s=%s is not a whole number >= 0; left out (warned once)" % (key, _shown(value)), once=key)
        else:
            line[key] = count
    if not numbers:
        if not values and metrics is None:
            _warn("hone.log: no metrics given; nothing recorded (warned once)", once="empty")
        return
    _write(line)


def save(path):
    """Asks Hone to copy a file or folder into the run's artifacts/ when the run ends; returns `path`."""
    if not _inactive():
        _write({"artifact": os.path.abspath(os.fspath(path))})
    return path
