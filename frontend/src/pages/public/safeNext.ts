/**
 * Where to go after signing in: the ``next`` query parameter, if it is a path of this app.
 * Anything else (another origin, "//evil.example", "/\\evil.example", a javascript: URL) is
 * refused, so a crafted log-in link cannot send a user elsewhere once signed in.
 */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  if (!next) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  // Control characters and backslashes: browsers read some of them as path separators.
  if (/[\u0000-\u001f\\]/.test(next)) return fallback;
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin) return fallback;
    // Back to the log-in page itself would loop.
    if (url.pathname === "/login") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
