import {
  Badge,
  Button,
  Dialog,
  Flex,
  Loader,
  Modal,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Monitor, WarningCircle } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { errorMessage } from '../api/errorFields';
import type { AdminUserSessions, AdminUserStatus, EndedSessions } from '../api/types';
import { getTranslation } from '../utils/getTranslation';

interface UserSessionsDialogProps {
  user: AdminUserStatus;
  /** May end the sessions (`manage-users`); anyone who sees the Users page may list them. */
  canEndSessions: boolean;
}

/** The Sessions button of a user row: the user's live sign-ins, and "End all sessions". */
export const UserSessionsDialog = ({ user, canEndSessions }: UserSessionsDialogProps): React.JSX.Element => {
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const { get, post } = useFetchClient();
  const [open, setOpen] = React.useState(false);
  const [sessions, setSessions] = React.useState<AdminUserSessions>();
  const [ending, setEnding] = React.useState(false);
  const name = user.username ?? user.email ?? `#${user.id}`;

  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>): string =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const when = (iso: string | null): string =>
    iso === null ? '—' : formatDate(iso, { dateStyle: 'short', timeStyle: 'short' });

  const load = React.useCallback(async (): Promise<void> => {
    const { data } = await get<AdminUserSessions>(`/two-factor/users/${user.id}/sessions`);
    setSessions(data);
  }, [get, user.id]);

  React.useEffect(() => {
    if (!open) return;
    setSessions(undefined);
    load().catch((error: unknown) =>
      toggleNotification({ type: 'danger', message: errorMessage(error, 'Could not load the sessions') }),
    );
  }, [open, load, toggleNotification]);

  const endAll = async (): Promise<void> => {
    setEnding(true);
    try {
      const { data } = await post<EndedSessions>(`/two-factor/users/${user.id}/sessions/end`, {});
      toggleNotification({
        type: 'success',
        message: t(
          'users.sessions.ended',
          '{count, plural, =0 {{name} had no session to end} one {# session of {name} ended} other {# sessions of {name} ended}}',
          { count: data.ended, name },
        ),
      });
      await load();
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessage(error, t('notification.error', 'An error occurred')),
      });
    } finally {
      setEnding(false);
    }
  };

  return (
    <Modal.Root open={open} onOpenChange={setOpen}>
      <Modal.Trigger>
        <Button variant="tertiary" size="S" startIcon={<Monitor />}>
          {t('users.sessions', 'Sessions')}
        </Button>
      </Modal.Trigger>
      <Modal.Content data-testid="user-sessions-dialog">
        <Modal.Header closeLabel={t('dialog.close', 'Close')}>
          <Modal.Title>{t('users.sessions.title', 'Sessions of {name}', { name })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {sessions === undefined ? (
            <Flex justifyContent="center" padding={4}>
              <Loader small>{t('loading', 'Loading…')}</Loader>
            </Flex>
          ) : sessions.mode === 'legacy-support' ? (
            <Typography data-testid="user-sessions-legacy">
              {t(
                'users.sessions.legacy',
                'This app signs users in with legacy-support tokens (users-permissions jwtManagement): the server keeps no sessions, so there is nothing to list or end. Each token works until it expires; switch to refresh mode to end sessions.',
              )}
            </Typography>
          ) : sessions.sessions.length === 0 ? (
            <Typography data-testid="user-sessions-empty" textColor="neutral600">
              {t('users.sessions.none', '{name} is signed in nowhere.', { name })}
            </Typography>
          ) : (
            <Table colCount={5} rowCount={sessions.sessions.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('users.sessions.column.device', 'Device')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('users.sessions.column.signedInAt', 'Signed in')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">
                      {t('users.sessions.column.lastRefreshedAt', 'Last refresh')}
                    </Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('users.sessions.column.expiresAt', 'Expires')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('users.sessions.column.assurance', 'Signed in with')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {sessions.sessions.map((session) => (
                  <Tr key={session.idPrefix} data-testid="user-session-row">
                    <Td>
                      <Flex direction="column" alignItems="flex-start">
                        <Typography>
                          {session.deviceName ?? t('users.sessions.device.unknown', 'Unknown device')}
                        </Typography>
                        <Typography variant="pi" textColor="neutral500">
                          {`${session.idPrefix}…`}
                        </Typography>
                      </Flex>
                    </Td>
                    <Td>
                      <Typography>{when(session.signedInAt)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{when(session.lastRefreshedAt)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{when(session.expiresAt)}</Typography>
                    </Td>
                    <Td>
                      <Flex direction="column" alignItems="flex-start" gap={1}>
                        <Flex gap={1}>
                          <Badge active={session.aal === 2}>{`AAL${session.aal}`}</Badge>
                          <Typography variant="pi" data-testid="user-session-amr">
                            {session.amr.join(' + ')}
                          </Typography>
                        </Flex>
                        {session.authTime === null ? null : (
                          <Typography variant="pi" textColor="neutral500">
                            {t('users.sessions.authTime', 'factor proven {when}', { when: when(session.authTime) })}
                          </Typography>
                        )}
                      </Flex>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('dialog.close', 'Close')}</Button>
          </Modal.Close>
          {canEndSessions && sessions?.mode === 'refresh' ? (
            <Dialog.Root>
              <Dialog.Trigger>
                <Button variant="danger-light" disabled={ending || sessions.sessions.length === 0}>
                  {t('users.sessions.endAll', 'End all sessions')}
                </Button>
              </Dialog.Trigger>
              <Dialog.Content>
                <Dialog.Header>{t('users.sessions.endAll.title', 'End every session?')}</Dialog.Header>
                <Dialog.Body icon={<WarningCircle fill="danger600" />}>
                  {t(
                    'users.sessions.endAll.body',
                    '{name} is signed out on every device: their refresh tokens stop working at once, and an access token already handed out lasts until it expires (minutes). They sign in again as usual.',
                    { name },
                  )}
                </Dialog.Body>
                <Dialog.Footer>
                  <Dialog.Cancel>
                    <Button fullWidth variant="tertiary">
                      {t('dialog.cancel', 'Cancel')}
                    </Button>
                  </Dialog.Cancel>
                  <Dialog.Action>
                    <Button fullWidth variant="danger" onClick={endAll}>
                      {t('users.sessions.endAll.confirm', 'End all sessions')}
                    </Button>
                  </Dialog.Action>
                </Dialog.Footer>
              </Dialog.Content>
            </Dialog.Root>
          ) : null}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
