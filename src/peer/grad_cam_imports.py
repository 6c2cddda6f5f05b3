"""pytorch-grad-cam's module-level imports of what its CAM classes never call, stubbed where they are not installed."""
import importlib
import sys
import types


def stub_unused_modules():
    """pytorch-grad-cam imports cv2 (display helpers), ttach (test-time augmentation) and sklearn (KernelPCA-CAM) at
    module level; the methods compared here call none of them."""
    for name in ("cv2", "ttach", "sklearn", "sklearn.decomposition"):
        try:
            importlib.import_module(name)
        except ImportError:
            stub = types.ModuleType(name)
            stub.__path__ = []
            stub.__getattr__ = unused_attribute
            sys.modules[name] = stub


def unused_attribute(attribute):
    if attribute.startswith("__"):
        raise AttributeError(attribute)
    return lambda *args, **kwargs: None
