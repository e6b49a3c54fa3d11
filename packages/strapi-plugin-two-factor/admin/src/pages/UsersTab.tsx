import { Badge, Button, Flex, Searchbar, Status, Td, Tr, Typography } from '@strapi/design-system';
import { Lock } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { errorMessage } from '../api/errorFields';
import type { AdminPasskey, AdminUserStatus, Paged } from '../api/types';
import { PagedTable } from '../components/PagedTable';
import { ResetUserDialog } from '../components/ResetUserDialog';
import { UserSessionsDialog } from '../components/UserSessionsDialog';
import { getTranslation } from '../utils/getTranslation';

const PAGE_SIZE = 20;
const SEARCH_DELAY_MILLISECONDS = 300;

const METHOD_LABELS: Record<string, string> = {
  sms: 'SMS',
  totp: 'Authenticator app',
  email: 'Email',
  passkey: 'Passkey',
};

interface UsersTabProps {
  canManageUsers: boolean;
}

/** Every users-permissions user with their two-step status; Reset and Unlock for those allowed. */
export const UsersTab = ({ canManageUsers }: UsersTabProps): React.JSX.Element => {
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const { get, post } = useFetchClient();
  const [search, setSearch] = React.useState('');
  const [query, setQuery] = React.useState({ search: '', page: 1 });
  const [users, setUsers] = React.useState<Paged<AdminUserStatus>>();
  const [busyUserId, setBusyUserId] = React.useState<number>();

  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>): string =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  React.useEffect(() => {
    const timer = setTimeout(() => setQuery({ search, page: 1 }), SEARCH_DELAY_MILLISECONDS);
    return () => clearTimeout(timer);
  }, [search]);

  const load = React.useCallback(async (): Promise<void> => {
    const params = new URLSearchParams({ page: String(query.page), pageSize: String(PAGE_SIZE) });
    if (query.search !== '') params.set('search', query.search);
    const { data } = await get<Paged<AdminUserStatus>>(`/two-factor/users?${params}`);
    setUsers(data);
  }, [get, query]);

  React.useEffect(() => {
    load().catch((error: unknown) =>
      toggleNotification({ type: 'danger', message: errorMessage(error, 'Could not load the users') }),
    );
  }, [load, toggleNotification]);

  const act = async (user: AdminUserStatus, action: 'reset' | 'unlock'): Promise<void> => {
    setBusyUserId(user.id);
    try {
      const { data } = await post<AdminUserStatus>(`/two-factor/users/${user.id}/${action}`, {});
      setUsers((current) =>
        current === undefined
          ? current
          : { ...current, results: current.results.map((row) => (row.id === data.id ? data : row)) },
      );
      toggleNotification({
        type: 'success',
        message:
          action === 'reset'
            ? t('users.reset.done', 'Two-step verification reset for {name}', { name: user.username ?? user.id })
            : t('users.unlock.done', '{name} is unlocked', { name: user.username ?? user.id }),
      });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessage(error, t('notification.error', 'An error occurred')),
      });
    } finally {
      setBusyUserId(undefined);
    }
  };

  const when = (iso: string): string => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
  const day = (iso: string): string => formatDate(iso, { dateStyle: 'medium' });

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Searchbar
        name="search"
        value={search}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => setSearch(event.target.value)}
        onClear={() => setSearch('')}
        clearLabel={t('users.search.clear', 'Clear')}
        placeholder={t('users.search.placeholder', 'Search by username, email or id')}
      >
        {t('users.search.label', 'Search users')}
      </Searchbar>
      <PagedTable
        rows={users}
        columns={[
          t('users.column.id', 'Id'),
          t('users.column.user', 'User'),
          t('users.column.methods', 'Methods'),
          t('users.column.lastUsedAt', 'Last use'),
          t('users.column.recoveryCodes', 'Recovery codes'),
          t('users.column.state', 'State'),
          t('users.column.actions', 'Actions'),
        ]}
        emptyText={query.search === '' ? t('users.empty.none', 'No users yet.') : t('users.empty', 'No user matches.')}
        renderRow={(user) => (
          <Tr key={user.id} data-testid={`user-row-${user.id}`}>
            <Td>
              <Typography>{user.id}</Typography>
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start">
                <Typography fontWeight="semiBold">{user.username ?? '—'}</Typography>
                <Typography variant="pi" textColor="neutral600">
                  {user.email ?? t('users.email.none', 'no email')}
                </Typography>
              </Flex>
            </Td>
            <Td>
              {/* The passkeys sit under the badges: a column of their own pushed Actions out of view. */}
              <Flex direction="column" alignItems="flex-start" gap={2}>
                <Flex gap={1} wrap="wrap">
                  {user.methods.length === 0 ? (
                    <Typography textColor="neutral500">{t('users.methods.none', 'None')}</Typography>
                  ) : (
                    user.methods.map((method) => (
                      <Badge key={method}>{t(`method.short.${method}`, METHOD_LABELS[method] ?? method)}</Badge>
                    ))
                  )}
                </Flex>
                <Passkeys passkeys={user.passkeys} day={day} t={t} />
              </Flex>
            </Td>
            <Td>
              <Typography>{user.lastUsedAt === null ? '—' : when(user.lastUsedAt)}</Typography>
            </Td>
            <Td>
              <Typography
                data-testid="recovery-codes-left"
                textColor={user.methods.length > 0 && user.recoveryCodesRemaining === 0 ? 'danger600' : undefined}
              >
                {user.methods.length === 0
                  ? '—'
                  : t('users.recoveryCodes.left', '{count} left', { count: user.recoveryCodesRemaining })}
              </Typography>
            </Td>
            <Td>
              <Flex>
                <UserState user={user} when={when} t={t} />
              </Flex>
            </Td>
            <Td>
              {canManageUsers ? (
                <Flex gap={2}>
                  <UserSessionsDialog user={user} canEndSessions />
                  <ResetUserDialog
                    user={user}
                    disabled={busyUserId === user.id || user.methods.length === 0}
                    onConfirm={() => act(user, 'reset')}
                  />
                  <Button
                    variant="secondary"
                    size="S"
                    startIcon={<Lock />}
                    disabled={busyUserId === user.id || (user.lockedUntil === null && user.consecutiveFailures === 0)}
                    onClick={() => act(user, 'unlock')}
                  >
                    {t('users.unlock', 'Unlock')}
                  </Button>
                </Flex>
              ) : (
                <UserSessionsDialog user={user} canEndSessions={false} />
              )}
            </Td>
          </Tr>
        )}
        onPageChange={(page) => setQuery((current) => ({ ...current, page }))}
      />
    </Flex>
  );
};

interface PasskeysProps {
  passkeys: AdminPasskey[];
  day: (iso: string) => string;
  t: (id: string, defaultMessage: string, values?: Record<string, string | number>) => string;
}

/** Each passkey's name, whether it is synced (it survives a lost device) and its last use. */
const Passkeys = ({ passkeys, day, t }: PasskeysProps): React.JSX.Element | null => {
  if (passkeys.length === 0) return null;
  return (
    <Flex direction="column" alignItems="flex-start" gap={2} tag="ul">
      {passkeys.map((passkey) => (
        <Flex key={passkey.id} direction="column" alignItems="flex-start" tag="li" data-testid="passkey">
          <Typography fontWeight="semiBold">
            {passkey.label ?? t('users.passkey.unnamed', 'Unnamed passkey')}
          </Typography>
          {/* One short line each, so the column stays narrow. */}
          <Typography variant="pi" textColor="neutral600">
            {passkey.backedUp
              ? t('users.passkey.backedUp', 'Synced (backed up)')
              : t('users.passkey.deviceBound', 'One device (not backed up)')}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {passkey.lastUsedAt === null
              ? t('users.passkey.neverUsed', 'Never used')
              : t('users.passkey.lastUsed', 'Last used {when}', { when: day(passkey.lastUsedAt) })}
          </Typography>
        </Flex>
      ))}
    </Flex>
  );
};

interface UserStateProps {
  user: AdminUserStatus;
  when: (iso: string) => string;
  t: (id: string, defaultMessage: string, values?: Record<string, string | number>) => string;
}

const UserState = ({ user, when, t }: UserStateProps): React.JSX.Element => {
  if (user.lockedUntil !== null) {
    return (
      <Status variant="danger" size="S">
        <Typography fontWeight="bold" textColor="danger700">
          {t('users.state.locked', 'Locked until {until}', { until: when(user.lockedUntil) })}
        </Typography>
      </Status>
    );
  }
  if (user.blocked) {
    return (
      <Status variant="warning" size="S">
        <Typography textColor="warning700">{t('users.state.blocked', 'Blocked')}</Typography>
      </Status>
    );
  }
  // Failures short of a lock-out are a warning, never a success, whatever the user's factors.
  if (user.consecutiveFailures > 0) {
    return (
      <Status variant="warning" size="S">
        <Typography textColor="warning700">
          {t('users.state.failures', '{count, plural, one {# failed attempt} other {# failed attempts}}', {
            count: user.consecutiveFailures,
          })}
        </Typography>
      </Status>
    );
  }
  return (
    <Status variant={user.methods.length > 0 ? 'success' : 'neutral'} size="S">
      <Typography>
        {user.methods.length > 0
          ? t('users.state.protected', 'Protected')
          : t('users.state.notEnrolled', 'Not enrolled')}
      </Typography>
    </Status>
  );
};
