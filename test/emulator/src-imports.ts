// The emulator also runs under plain Node (npm run emulator, the demo, the bench), which strips the types of
// src/ but does not map its `.js` import suffixes (written for the build) to the `.ts` files. This hook does,
// only for a relative `.js` import that does not resolve as written. Vitest resolves these itself.
import { registerHooks } from 'node:module';

let registered = false;

export function resolveSrcImports(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context);
      } catch (error) {
        if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
        return next(`${specifier.slice(0, -3)}.ts`, context);
      }
    },
  });
}
