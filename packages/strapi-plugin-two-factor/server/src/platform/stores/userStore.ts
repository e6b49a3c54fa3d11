import type { Core } from '@strapi/strapi';

/** Strapi's users-permissions user: a table the plugin reads and writes but does not own. */
export const USER_UID = 'plugin::users-permissions.user';

/** A users-permissions user as `strapi.db.query` returns it, with the app's own attributes. */
export interface StrapiUserRow {
  id: number;
  username: string;
  email: string | null;
  blocked: boolean | null;
  confirmed: boolean | null;
  /** Only when asked for (`populate: ['role']`). */
  role?: { id: number; type?: string; [attribute: string]: unknown } | null;
  [attribute: string]: unknown;
}

/** What the admin's user list shows of a user (`select`: four columns). */
export interface UserSummaryRow {
  id: number;
  username: string | null;
  email: string | null;
  blocked: boolean | null;
}

/** What the audit log shows of a user. */
export interface UserNameRow {
  id: number;
  username: string | null;
}

/** The identifiers a new account would claim (users-permissions' register checks). */
export interface ClaimedIdentifiers {
  email: string;
  username: string;
}

/**
 * The users table (`plugin::users-permissions.user`): the only code of the plugin that reads
 * or writes it. Each method is one statement (`create` and `resetPassword` are
 * users-permissions' own `user` service, which hashes the password).
 */
export interface UserStore {
  findById(id: number): Promise<StrapiUserRow | null>;
  /** The user with its role (`populate: ['role']`). */
  findWithRole(id: number): Promise<StrapiUserRow | null>;
  /** The local account whose email (lowercased) or username is `identifier`. */
  findLocalByIdentifier(identifier: string): Promise<StrapiUserRow | null>;
  findByResetPasswordToken(token: string): Promise<StrapiUserRow | null>;
  findByConfirmationToken(token: string): Promise<StrapiUserRow | null>;
  findSummary(id: number): Promise<UserSummaryRow | null>;
  /**
   * A page of users, by id, whose username or email contains `term` (case-insensitive) or
   * whose id is `term`; every user for an empty term.
   */
  searchSummaries(term: string, page: { offset: number; limit: number }): Promise<UserSummaryRow[]>;
  countSearch(term: string): Promise<number>;
  /** The usernames of these users (no statement for no ids). */
  usernamesOf(ids: number[]): Promise<UserNameRow[]>;
  /** Users holding `username`, or `email` when given. */
  countByUsernameOrEmail(username: string, email: string | undefined): Promise<number>;
  /**
   * Users holding either identifier as email or username (the email lowercased), as
   * users-permissions' register counts them; only those of `provider` when given.
   */
  countClaiming(identifiers: ClaimedIdentifiers, options?: { provider?: string }): Promise<number>;
  /** users-permissions' `user.add` (hashes the password, populates the role). */
  create(data: Record<string, unknown>): Promise<StrapiUserRow>;
  /** users-permissions' `user.edit`: the new password, and the reset token spent. */
  resetPassword(id: number, password: string): Promise<void>;
  setConfirmed(id: number, confirmed: boolean): Promise<void>;
  /** Deletes the user unless confirmed (a phone sign-up never finished). */
  deleteUnconfirmed(id: number): Promise<void>;
}

/** Username or email containing `term`, or the id when `term` is a number; all for ''. */
function searchWhere(term: string): Record<string, unknown> {
  if (term === '') return {};
  const matches: Record<string, unknown>[] = [{ username: { $containsi: term } }, { email: { $containsi: term } }];
  if (/^\d{1,15}$/.test(term)) matches.push({ id: Number(term) });
  return { $or: matches };
}

function claimingWhere({ email, username }: ClaimedIdentifiers): Record<string, unknown>[] {
  return [{ email: email.toLowerCase() }, { username: email.toLowerCase() }, { username }, { email: username }];
}

const SUMMARY_COLUMNS = ['id', 'username', 'email', 'blocked'];

export function createUserStore(strapi: Core.Strapi): UserStore {
  const query = () => strapi.db.query(USER_UID);
  const userService = () => strapi.plugin('users-permissions').service('user');
  return {
    async findById(id) {
      return (await query().findOne({ where: { id } })) as StrapiUserRow | null;
    },

    async findWithRole(id) {
      return (await query().findOne({ where: { id }, populate: ['role'] })) as StrapiUserRow | null;
    },

    async findLocalByIdentifier(identifier) {
      return (await query().findOne({
        where: { provider: 'local', $or: [{ email: identifier.toLowerCase() }, { username: identifier }] },
      })) as StrapiUserRow | null;
    },

    async findByResetPasswordToken(token) {
      return (await query().findOne({ where: { resetPasswordToken: token } })) as StrapiUserRow | null;
    },

    async findByConfirmationToken(token) {
      return (await query().findOne({ where: { confirmationToken: token } })) as StrapiUserRow | null;
    },

    async findSummary(id) {
      return (await query().findOne({ where: { id }, select: SUMMARY_COLUMNS })) as UserSummaryRow | null;
    },

    async searchSummaries(term, { offset, limit }) {
      return (await query().findMany({
        where: searchWhere(term),
        select: SUMMARY_COLUMNS,
        orderBy: { id: 'asc' },
        offset,
        limit,
      })) as UserSummaryRow[];
    },

    async countSearch(term) {
      return query().count({ where: searchWhere(term) });
    },

    async usernamesOf(ids) {
      if (ids.length === 0) return [];
      return (await query().findMany({ where: { id: { $in: ids } }, select: ['id', 'username'] })) as UserNameRow[];
    },

    async countByUsernameOrEmail(username, email) {
      return query().count({ where: { $or: [{ username }, ...(email === undefined ? [] : [{ email }])] } });
    },

    async countClaiming(identifiers, { provider } = {}) {
      const $or = claimingWhere(identifiers);
      return query().count({ where: provider === undefined ? { $or } : { $or, provider } });
    },

    async create(data) {
      return (await userService().add(data)) as StrapiUserRow;
    },

    async resetPassword(id, password) {
      await userService().edit(id, { resetPasswordToken: null, password });
    },

    async setConfirmed(id, confirmed) {
      await query().update({ where: { id }, data: { confirmed } });
    },

    async deleteUnconfirmed(id) {
      await query().deleteMany({ where: { id, confirmed: false } });
    },
  };
}
