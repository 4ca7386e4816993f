/** Largest response body kept for checking expectations and captures; longer bodies are cut here. */
export const maxCheckedBodyBytes = 1024 * 1024
