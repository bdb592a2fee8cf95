/**
 * The renderer's Content-Security-Policy: only its own scripts, styles, images and API, nothing
 * inline but styles (React and Recharts set style attributes), no plugins, no <base>, no forms
 * posting elsewhere. renderer/index.html carries it as a meta tag (a test keeps the two equal);
 * the web bridge and the desktop session also send it as a header, which can add what a meta tag
 * cannot (frame-ancestors).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
