/**
 * Company slugs, by the server's rules (tessera.tenants.service.check_slug): 3 to 40
 * lowercase letters, digits or hyphens, starting and ending with a letter or digit, no two
 * hyphens in a row. Checked here too so the form answers at once; the server has the last word
 * (and alone knows what is reserved or taken).
 */

export const SLUG_MIN = 3;
export const SLUG_MAX = 40;

/** Why a slug breaks the format, as a key of the "public" namespace; null when it is fine. */
export type SlugProblem = "tooShort" | "tooLong" | "characters" | "edges" | "doubleHyphen";

export function slugProblem(slug: string): SlugProblem | null {
  if (slug.length < SLUG_MIN) return "tooShort";
  if (slug.length > SLUG_MAX) return "tooLong";
  if (!/^[a-z0-9-]+$/.test(slug)) return "characters";
  if (slug.startsWith("-") || slug.endsWith("-")) return "edges";
  if (slug.includes("--")) return "doubleHyphen";
  return null;
}

/**
 * What a typed slug becomes as the user types: lowercase, spaces as hyphens, and nothing a
 * slug cannot hold. Edges are left alone (a trailing hyphen is where the next word starts).
 */
export function normalizeSlugInput(typed: string): string {
  return typed
    .toLowerCase()
    .replace(/[\s_.]+/g, "-")
    .replace(/[^a-z0-9-]/g, "")
    .slice(0, SLUG_MAX);
}

/**
 * A slug suggested from the company name: "Acme & Söhne GmbH" -> "acme-sohne-gmbh". Accents
 * are dropped; letters with no Latin form (Chinese, say) leave nothing, and then there is no
 * suggestion: the user types one.
 */
export function suggestSlug(companyName: string): string {
  const latin = companyName.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const words = latin
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word.slice(0, SLUG_MAX);
    if (next.length > SLUG_MAX) break;
    slug = next;
  }
  return slug;
}
