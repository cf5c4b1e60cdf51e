"use client";

import { LogIn } from "lucide-react";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function SignInButton({
  callbackUrl,
  label,
  pendingLabel,
}: {
  callbackUrl: string;
  label: string;
  pendingLabel: string;
}) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      className="w-full"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn("keycloak", { callbackUrl });
      }}
    >
      <LogIn aria-hidden /> {pending ? pendingLabel : label}
    </Button>
  );
}
