import { AuthButton, type AuthButtonProps } from './auth-button';

/**
 * Like SignInButton, but asks the hosted page for its sign-up view (`prompt=create`).
 */
function SignUpButton({ children = 'Sign up', ...props }: AuthButtonProps) {
  return (
    <AuthButton view="sign-up" {...props}>
      {children}
    </AuthButton>
  );
}

export { SignUpButton };
