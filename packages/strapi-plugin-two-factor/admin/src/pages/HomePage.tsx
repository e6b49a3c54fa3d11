import { Box, Tabs } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import type * as React from 'react';
import { useIntl } from 'react-intl';
import { useLocation, useNavigate } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { PLUGIN_ID } from '../pluginId';
import { getTranslation } from '../utils/getTranslation';
import { AuditLogTab } from './AuditLogTab';
import { UsersTab } from './UsersTab';

type Tab = 'users' | 'audit-log';

/** The main menu's "Two-factor" page: Users and Audit log, each with its own address. */
export const HomePage = (): React.JSX.Element => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <TwoFactorHome />
  </Page.Protect>
);

const TwoFactorHome = (): React.JSX.Element => {
  const { formatMessage } = useIntl();
  const location = useLocation();
  const navigate = useNavigate();
  const {
    isLoading,
    allowedActions: { canManageUsers },
  } = useRBAC(PERMISSIONS.manageUsers);
  const tab: Tab = location.pathname.endsWith('/audit-log') ? 'audit-log' : 'users';
  const t = (id: string, defaultMessage: string): string => formatMessage({ id: getTranslation(id), defaultMessage });

  if (isLoading) return <Page.Loading />;

  return (
    <Page.Main>
      <Page.Title>{t('home.pageTitle', 'Two-factor')}</Page.Title>
      <Layouts.Header
        title={t('home.title', 'Two-factor')}
        subtitle={t('home.subtitle', 'Two-step verification of your app’s users: who uses it, and what happened.')}
      />
      <Layouts.Content>
        <Tabs.Root value={tab} onValueChange={(value: string) => navigate(`/plugins/${PLUGIN_ID}/${value}`)}>
          <Tabs.List aria-label={t('home.tabs', 'Two-factor sections')}>
            <Tabs.Trigger value="users">{t('home.tab.users', 'Users')}</Tabs.Trigger>
            <Tabs.Trigger value="audit-log">{t('home.tab.auditLog', 'Audit log')}</Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="users">
            <TabPanel>
              <UsersTab canManageUsers={canManageUsers === true} />
            </TabPanel>
          </Tabs.Content>
          <Tabs.Content value="audit-log">
            <TabPanel>
              <AuditLogTab />
            </TabPanel>
          </Tabs.Content>
        </Tabs.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

const TabPanel = ({ children }: { children: React.ReactNode }): React.JSX.Element => (
  <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
    {children}
  </Box>
);
