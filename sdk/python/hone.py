"""Report parameters, metrics and files to Hone from any Python script. Standard library only.

    import hone
    params = hone.init({"lr": 0.01, "layers": 2})   # returns the params, with `hone exec --set` values applied
    for step in range(100):
        hone.log(step, loss=0.25, val_accuracy=0.91)
    hone.save("model.pt")                            # copied into the run's artifacts/ when the run ends

Under `hone exec -- python3 train.py`, Hone puts this file on PYTHONPATH and sets HONE_METRICS_FILE; each
call appends one JSON line to that file (the protocol in docs/exec-protocol.md). Outside Hone the calls
do nothing, after a one-time notice on stderr, so the same script runs anywhere.
"""

import collections.abc
import json
import math
import os
import sys

__all__ = ["init", "log", "save", "active"]

_fd = None
_noticed = False


def active():
    """Whether this process runs under Hone (HONE_METRICS_FILE is set)."""
    return bool(os.environ.get("HONE_METRICS_FILE"))


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
    global _fd, _noticed
    path = os.environ.get("HONE_METRICS_FILE")
    if not path:
        if not _noticed:
            _noticed = True
            sys.stderr.write("hone: not running under `hone exec`; parameters and metrics are not recorded\n")
        return
    if _fd is None:
        _fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
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

    `step` and `epoch` are optional whole numbers (Hone numbers rows 1, 2, ... when `epoch` is absent).
    Values are anything float() takes (NumPy and PyTorch scalars too); NaN and infinities are kept.
    """
    values = dict(metrics or {})
    values.update(kw)
    line = {"metrics": {str(k): _number(v) for k, v in values.items()}}
    if step is not None:
        line["step"] = int(step)
    if epoch is not None:
        line["epoch"] = int(epoch)
    _write(line)


def save(path):
    """Asks Hone to copy a file or folder into the run's artifacts/ when the run ends; returns `path`."""
    _write({"artifact": os.path.abspath(os.fspath(path))})
    return path
