import { z } from 'zod';

/** A name the owner gives a factor ("Work laptop"); shown back as text, never as markup. */
export const factorLabel = z.string().trim().min(1).max(60);
