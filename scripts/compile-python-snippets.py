"""Byte-compiles translated example snippets and counts their comments, in one process.

    python3 scripts/compile-python-snippets.py <file.py> ...

Prints one JSON object: {file: {"comments": n}} for a snippet that compiles, or
{file: {"error": "..."}} for one that does not. Used by check-python-examples.mjs.
"""
import io
import json
import sys
import tokenize

results = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        compile(source, path, "exec")
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        results[path] = {"comments": sum(1 for t in tokens if t.type == tokenize.COMMENT)}
    except (SyntaxError, tokenize.TokenError) as e:
        results[path] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(results))
