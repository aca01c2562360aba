// Lint: typescript-eslint's recommended rules plus the type-aware promise rules, because an
// unawaited promise in a money path is a lost posting. Formatting is Prettier's job.
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

// The three tiers under services/: business contexts (one folder each), services/platform/ (technical modules
// and adapters) and services/kernel/ (pure shared code). A new folder under services/ goes in one of them
// (server/walls.test.ts fails until it does).
export const tiers = {
  business: [
    'admin',
    'api-tokens',
    'billing',
    'certification',
    'contracts',
    'credentials',
    'credits',
    'engagements',
    'finance',
    'identity',
    'inbox',
    'ledger',
    'organizations',
    'partner-api',
    'portal',
    'rating',
    'royalties',
    'sso',
    'tenancy',
    'training',
    'webhooks',
  ],
  // services/platform/: audit config csv db documents docusign email errors health jobs observability redis
  // security, and the clock and process singletons at its root.
  platform: ['platform'],
  // services/kernel/: calendar money.
  kernel: ['kernel'],
}

const clockOnly = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read the time from the injected clock (services/platform/clock.ts).',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Read the time from the injected clock (services/platform/clock.ts).',
  },
]

const importExpression = {
  selector: 'ImportExpression > Literal[value=/^[.#]/]',
  message: "Import the project's own modules statically, where the walls between layers can see them.",
}

// The modules under services/platform/db/ that hand out a client or run the schema: no route imports them.
const databaseHandles = ['client', 'generated', 'unscoped', 'pg-pool', 'app-role', 'migrate', 'ensure-database']
const DATABASE = 'Routes reach the database through a use case in services/ (types may be shared).'
// An import of services/<folder>/ by alias or by a relative path (services/ files import each other by `../`).
// `./../` and `../` mixed count too: a path spelled oddly is still the same folder.
const servicesFolder = '(#services/|(\\.{1,2}/)+(services/)?)'

/** Files in `from` (folders under services/) may not import the folders in `to` (`app` is app/). */
function restrict(from, to, message) {
  const contexts = to.filter((t) => t !== 'app')
  const patterns = [{ regex: `^${servicesFolder}(${contexts.join('|')})/`, message }]
  if (to.includes('app')) patterns.push({ regex: '^(#app/|(\\.\\./)+app/)', message })
  return {
    files: from.map((folder) => `services/${folder}/**`),
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  }
}

export default tseslint.config(
  {
    ignores: ['build/**', '.data/**', '.react-router/**', 'node_modules/**', 'services/platform/db/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // `import { type X }` keeps a side-effect import under verbatimModuleSyntax: services/ would reach the browser.
      '@typescript-eslint/no-import-type-side-effects': 'error',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'max-len': ['error', { code: 120, ignoreUrls: false, ignoreStrings: false, ignoreTemplateLiterals: false }],
    },
  },
  {
    // The platform reads time from its one clock; tests, benchmarks, the fakes (third parties keep their own
    // time) and the partner-side runner may read the system's.
    files: ['services/**', 'app/**', 'server/**', 'seeds/**'],
    rules: {
      'no-restricted-syntax': ['error', ...clockOnly],
    },
  },
  // The walls (docs/architecture.md, docs/decisions/021-enforced-layers.md). Every folder under services/ is in
  // one tier; server/ is the composition root and may import anything. Cycles between contexts are
  // scripts/context-graph.ts's job.
  {
    // The import walls below read static imports; an import() of the project's own code would pass under them.
    files: ['services/**', 'app/**'],
    rules: {
      'no-restricted-syntax': ['error', ...clockOnly, importExpression],
    },
  },
  {
    // Outside the database layer and the tenancy guard, the unscoped client is asked for by a reason:
    // unscopedDb('why') (decision 056). Flat config replaces a rule's options, so the two above repeat here.
    files: ['services/**'],
    ignores: ['services/platform/db/**', 'services/tenancy/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...clockOnly,
        importExpression,
        {
          // A named, renamed or namespace import of the client, with any extension, or a re-export of it.
          selector:
            'ImportDeclaration[source.value=/(^|\\/)db\\/(\\.\\/)?client(\\.[jt]s)?$/] > ' +
            ':matches(ImportSpecifier[imported.name=/^(db|createDb)$/], ' +
            'ImportNamespaceSpecifier, ImportDefaultSpecifier)',
          message: "Use the tenancy guard, or say why not with unscopedDb('why') (services/platform/db/unscoped.ts).",
        },
        {
          selector: 'ExportNamedDeclaration[source.value=/(^|\\/)db\\/(\\.\\/)?client(\\.[jt]s)?$/]',
          message: "Use the tenancy guard, or say why not with unscopedDb('why') (services/platform/db/unscoped.ts).",
        },
        {
          // The raw pool too: unscopedPool('why') names the reason for a COPY or a group commit.
          selector: 'ImportDeclaration[source.value=/(^|\\/)db\\/(\\.\\/)?pg-pool(\\.[jt]s)?$/]',
          message: "Say why the raw pool: unscopedPool('why') (services/platform/db/unscoped.ts).",
        },
      ],
    },
  },
  {
    // Routes are thin: they call use cases and share types, and never hold the database themselves.
    files: ['app/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'pg', message: DATABASE, allowTypeImports: true },
            { name: 'pg-copy-streams', message: DATABASE, allowTypeImports: true },
          ],
          patterns: [
            { regex: '^@prisma/', message: DATABASE, allowTypeImports: true },
            // The clients and what hands them out; routes may share the error classifiers (unique violation,
            // database unavailable) and types.
            {
              regex: `^${servicesFolder}platform/db/(${databaseHandles.join('|')})\\b`,
              message: DATABASE,
              allowTypeImports: true,
            },
            {
              regex: `^${servicesFolder}tenancy/tenant-guard(\\.[jt]s)?$`,
              importNames: ['allPartnersScope', 'scopedDb', 'systemScope', 'ggmlSystemScope'],
              message: 'Routes get their scope from app/lib (tenantScope, requireStaff): never an unchecked client.',
            },
          ],
        },
      ],
    },
  },
  restrict(tiers.business, ['app'], 'A business context knows nothing of routes: app/ imports services/, never back.'),
  // Contracts, royalties and finance all rate under the terms: the engine sits below them and calls none of them
  // (decision 060). Flat config replaces the rule's options, so app/ is named again.
  restrict(
    ['rating'],
    ['app', ...tiers.business.filter((c) => c !== 'rating')],
    'Rating is pure: it reads the terms and the usage it is handed, and imports no other business context.',
  ),
  restrict(
    tiers.platform,
    ['app', ...tiers.business],
    'The platform layer serves every business context and imports none: wire it in server/ (the composition root).',
  ),
  restrict(
    tiers.kernel,
    ['app', ...tiers.business, ...tiers.platform],
    'The kernel (money, calendar) is pure code that imports only the kernel.',
  ),
  {
    // The partner-side runner ships to partners' machines: it shares no code with the platform.
    files: ['certification-lab/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(#services/|(\\.\\./)+services/)',
              message: "certification-lab/ runs on partners' machines and never imports services/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
)
