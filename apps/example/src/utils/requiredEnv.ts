/** Reads a variable Strapi cannot start without, and says how to get one when it is missing. */
export function requiredEnv(env: (name: string) => string | undefined, name: string): string {
  const value = env(name);
  if (value === undefined || value === '') {
    throw new Error(
      `${name} is not set. Run \`npm run develop\` once (it writes apps/example/.env with fresh secrets) or copy .env.example.`,
    );
  }
  return value;
}
