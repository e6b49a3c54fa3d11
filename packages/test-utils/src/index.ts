export * from './databases';
export * from './exampleApp';
export * from './exampleAppProcess';
export * from './httpClient';
export * from './oauthProvider';
export * from './smsInbox';
export * from './smtpInbox';
