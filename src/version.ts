// Kept in step with package.json by a test; a constant keeps package.json out of the bundle.
export const ACTION_NAME = 'cloudflare-secondary-dns-peer-action';
export const ACTION_VERSION = '1.0.0';
