/** Escaping for what goes into the HTML source: text, attributes, JSON data blocks and inlined scripts. */

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text safe in HTML element content and in quoted attribute values. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c)
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&`, U+2028 and
 * U+2029 become \u escapes, so no string in it can end the element or open a comment.
 */
export function jsonForScript (value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Script source safe inside `<script>…</script>`: a `</script` or `<!--` in it (in a string or comment) cannot end the element. */
export function inlineScriptSource (source: string): string {
  return source
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--')
    .replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n')
}
