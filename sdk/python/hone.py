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


def init(params=None, **kw):
    """Records the run's parameters and returns them as a dict.

    `params` is a mapping (a dict, OmegaConf's DictConfig) or an argparse.Namespace; keyword arguments
    are added to it. Values given with `hone exec --set name=value` (passed in HONE_PARAMS) replace the
    script's own, so the returned dict is what the run should use and what Hone records.
    """
    merged = _as_dict(params)
    merged.update(kw)
    try:
        merged.update(json.loads(os.environ.get("HONE_PARAMS") or "{}"))
    except ValueError:
        pass
    _write({"params": _plain(merged)})
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
    if not numbers and (values or metrics is not None):
        return
    _write(line)


def save(path):
    """Asks Hone to copy a file or folder into the run's artifacts/ when the run ends; returns `path`."""
    if not _inactive():
        _write({"artifact": os.path.abspath(os.fspath(path))})
    return path
