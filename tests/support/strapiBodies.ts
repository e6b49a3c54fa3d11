/** The bodies Strapi's users-permissions routes answer with, as tests read them. */

export interface StrapiUser {
  id: number;
  documentId: string;
  username: string;
  email: string | null;
  provider: string;
  confirmed: boolean;
  blocked: boolean;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  [attribute: string]: unknown;
}

export interface StrapiLoginBody {
  jwt: string;
  refreshToken?: string;
  user: StrapiUser;
}

export interface StrapiErrorBody {
  data: null;
  error: {
    status: number;
    name: string;
    message: string;
    details: Record<string, unknown>;
  };
}
