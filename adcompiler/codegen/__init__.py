"""IR -> readable Python source, written to a content-hashed module file and imported."""
from .pysource import generate_source
from .module import load_generated_module, cache_dir, clear_cache, set_cache_dir
