import { AuthButton, type AuthButtonProps } from './auth-button';

/**
 * Opens the sign-in dialog (`mode="modal"`, the default) or goes straight to the hosted login
 * page (`mode="redirect"`). With `asChild`, your own element becomes the button.
 */
function SignInButton({ children = 'Sign in', ...props }: AuthButtonProps) {
  return (
    <AuthButton view="sign-in" {...props}>
      {children}
    </AuthButton>
  );
}

export { SignInButton };
