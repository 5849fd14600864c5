// The drizzle table of moeru-ai/airi (apps/server/src/schemas/flux.ts) the flux service uses.
export declare const userFlux: {
  userId: unknown;
  flux: unknown;
  updatedAt: unknown;
  stripeCustomerId: unknown;
};
