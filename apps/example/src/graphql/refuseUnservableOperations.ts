import { GraphQLError } from 'graphql';

interface RequestContext {
  operation?: { operation: string } | null;
}

/**
 * An Apollo Server plugin: Strapi's schema has no subscriptions, and Apollo answers a
 * `subscription { … }` document with a 500 `INTERNAL_SERVER_ERROR` ("Schema is not configured
 * to execute subscription operation"). Refused here as a 400 instead. (A fragment that spreads
 * itself is refused by GraphQL's own validation once Apollo's \`maxRecursiveSelections\` is set:
 * config/plugins.ts; a hook that throws before validation would be a 500 in Apollo.)
 */
export const refuseUnservableOperations = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }: RequestContext): Promise<void> {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError('Subscriptions are not supported.', {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
        });
      },
    };
  },
};
