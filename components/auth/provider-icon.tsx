import { KeyRoundIcon } from 'lucide-react';
import type * as React from 'react';

/**
 * Simplified marks drawn for this template (24×24, no external assets). Before you ship, swap in
 * each provider's official logo as their brand guidelines ask; the buttons only need an SVG.
 */
type Mark = (props: React.ComponentProps<'svg'>) => React.ReactElement;

const svg = (props: React.ComponentProps<'svg'>) => ({
  viewBox: '0 0 24 24',
  xmlns: 'http://www.w3.org/2000/svg',
  'aria-hidden': true,
  focusable: false,
  ...props,
});

const Google: Mark = (props) => (
  <svg {...svg(props)} fill="none" strokeWidth="3.5">
    <path stroke="#EA4335" d="M18.13 6.86A8 8 0 0 0 5.07 8" />
    <path stroke="#FBBC05" d="M5.07 8a8 8 0 0 0 0 8" />
    <path stroke="#34A853" d="M5.07 16a8 8 0 0 0 12.59 1.66" />
    <path stroke="#4285F4" d="M17.66 17.66A8 8 0 0 0 20 12" />
    <rect fill="#4285F4" x="12" y="10.25" width="9.75" height="3.5" />
  </svg>
);

const Microsoft: Mark = (props) => (
  <svg {...svg(props)}>
    <rect fill="#F25022" x="2" y="2" width="9.5" height="9.5" />
    <rect fill="#7FBA00" x="12.5" y="2" width="9.5" height="9.5" />
    <rect fill="#00A4EF" x="2" y="12.5" width="9.5" height="9.5" />
    <rect fill="#FFB900" x="12.5" y="12.5" width="9.5" height="9.5" />
  </svg>
);

// A cat's head and shoulders cut out of a disc; currentColor, so it follows the theme.
const GitHub: Mark = (props) => (
  <svg {...svg(props)} fill="currentColor">
    <path
      fillRule="evenodd"
      d="M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20ZM10 21.8v-4.3c0-.9-.5-1.3-1.2-1.6c-1.6-.7-2.2-2.3-2.2-4.1c0-1.1.4-2 1-2.7l.1-2.9l2.5 1.2c.6-.15 1.2-.2 1.8-.2s1.2.05 1.8.2l2.5-1.2l.1 2.9c.6.7 1 1.6 1 2.7c0 1.8-.6 3.4-2.2 4.1c-.7.3-1.2.7-1.2 1.6v4.3Z"
    />
  </svg>
);

const GitLab: Mark = (props) => (
  <svg {...svg(props)}>
    <path fill="#FC6D26" d="M12 21.3L2.3 13.9l1.8-5.4L5.9 3L8 9.5h8L18.1 3l1.8 5.5l1.8 5.4Z" />
    <path fill="#E24329" d="M12 21.3L8 9.5h8Z" />
  </svg>
);

const LinkedIn: Mark = (props) => (
  <svg {...svg(props)}>
    <rect fill="#0A66C2" x="2" y="2" width="20" height="20" rx="3" />
    <g fill="#fff">
      <circle cx="7.5" cy="7.2" r="1.5" />
      <rect x="6.2" y="10" width="2.6" height="8" />
      <path d="M10.8 10h2.5v1.2c.5-.8 1.5-1.4 2.8-1.4c2.2 0 3 1.4 3 3.6V18h-2.6v-4.2c0-1-.3-1.7-1.3-1.7s-1.8.7-1.8 1.8V18h-2.6Z" />
    </g>
  </svg>
);

const Salesforce: Mark = (props) => (
  <svg {...svg(props)} fill="#00A1E0">
    <circle cx="8" cy="11.5" r="4" />
    <circle cx="12.5" cy="9.5" r="4.5" />
    <circle cx="17.5" cy="12" r="3.5" />
    <circle cx="10" cy="15" r="3" />
    <circle cx="15" cy="15" r="3" />
  </svg>
);

/** The provider's mark, or a key for a provider without one. Decorative: the label says who. */
export function ProviderIcon({
  provider,
  ...props
}: { provider: string } & React.ComponentProps<'svg'>) {
  switch (provider) {
    case 'google':
      return <Google {...props} />;
    case 'microsoft':
      return <Microsoft {...props} />;
    case 'github':
      return <GitHub {...props} />;
    case 'gitlab':
      return <GitLab {...props} />;
    case 'linkedin':
      return <LinkedIn {...props} />;
    case 'salesforce':
      return <Salesforce {...props} />;
    default:
      return <KeyRoundIcon aria-hidden {...props} />;
  }
}
