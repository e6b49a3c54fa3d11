import { Button, Dialog } from '@strapi/design-system';
import { ArrowClockwise, WarningCircle } from '@strapi/icons';
import type * as React from 'react';
import { useIntl } from 'react-intl';
import type { AdminUserStatus } from '../api/types';
import { getTranslation } from '../utils/getTranslation';

interface ResetUserDialogProps {
  user: AdminUserStatus;
  disabled: boolean;
  onConfirm: () => Promise<void>;
}

/** The Reset button and its confirmation: a reset cannot be undone. */
export const ResetUserDialog = ({ user, disabled, onConfirm }: ResetUserDialogProps): React.JSX.Element => {
  const { formatMessage } = useIntl();
  const name = user.username ?? user.email ?? `#${user.id}`;
  return (
    <Dialog.Root>
      <Dialog.Trigger>
        <Button variant="danger-light" size="S" startIcon={<ArrowClockwise />} disabled={disabled}>
          {formatMessage({ id: getTranslation('users.reset'), defaultMessage: 'Reset' })}
        </Button>
      </Dialog.Trigger>
      <Dialog.Content>
        <Dialog.Header>
          {formatMessage({ id: getTranslation('users.reset.title'), defaultMessage: 'Reset two-step verification?' })}
        </Dialog.Header>
        <Dialog.Body icon={<WarningCircle fill="danger600" />}>
          {formatMessage(
            {
              id: getTranslation('users.reset.body'),
              defaultMessage:
                '{name} loses every factor, recovery code and trusted device. They sign in with their password alone, or are asked to enrol again where the policy requires it. This cannot be undone.',
            },
            { name },
          )}
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary">
              {formatMessage({ id: getTranslation('dialog.cancel'), defaultMessage: 'Cancel' })}
            </Button>
          </Dialog.Cancel>
          <Dialog.Action>
            <Button fullWidth variant="danger" onClick={onConfirm}>
              {formatMessage({ id: getTranslation('users.reset.confirm'), defaultMessage: 'Reset' })}
            </Button>
          </Dialog.Action>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
