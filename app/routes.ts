import { type RouteConfig, index, layout, route } from '@react-router/dev/routes'

export default [
  index('routes/home.tsx'),
  route('login', 'routes/login.tsx'),
  route('logout', 'routes/logout.tsx'),
  route('forgot-password', 'routes/forgot-password.tsx'),
  route('reset-password/:token', 'routes/reset-password.tsx'),
  route('invitations/:token', 'routes/accept-invitation.tsx'),
  route('admin/audit.csv', 'routes/admin-audit-csv.ts'),
  route('webhooks/docusign', 'routes/webhooks-docusign.ts'),
  layout('routes/app-shell.tsx', [
    route('portal', 'routes/portal-index.tsx'),
    route('portal/:orgSlug', 'routes/portal-dashboard.tsx'),
    route('portal/:orgSlug/team', 'routes/portal-team.tsx'),
    route('finance', 'routes/finance-dashboard.tsx'),
    route('certification', 'routes/certification-dashboard.tsx'),
    route('services', 'routes/services-dashboard.tsx'),
    route('training', 'routes/training-dashboard.tsx'),
    route('rewards', 'routes/rewards-dashboard.tsx'),
    route('admin', 'routes/admin-dashboard.tsx'),
    route('admin/organizations', 'routes/admin-organizations.tsx'),
    route('admin/audit', 'routes/admin-audit.tsx'),
    route('admin/jobs', 'routes/admin-jobs.tsx'),
    route('admin/mail', 'routes/admin-mail.tsx'),
    route('admin/mail/:messageId', 'routes/admin-mail-message.tsx'),
  ]),
] satisfies RouteConfig
