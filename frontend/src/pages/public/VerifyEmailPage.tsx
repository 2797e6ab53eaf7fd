import { useQueryClient } from "@tanstack/react-query";
import { Button, Result, Spin } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { ME_KEY, useMe } from "../../app/session";
import { LinkButton } from "../../components/LinkButton";
import { AuthLayout } from "./AuthLayout";
import { FormProblem } from "./FormProblem";
import { isBadLink } from "./linkToken";

type Outcome = "checking" | "verified" | "badLink" | "failed";

/** Confirms the address as soon as the emailed link is opened. */
export default function VerifyEmailPage() {
  const { t } = useTranslation("public");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const me = useMe();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome>(token ? "checking" : "badLink");
  const [error, setError] = useState<unknown>(null);
  // A link works once: React's development double effect must not spend it twice.
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    unwrap(api.POST("/api/v1/auth/verify-email", { body: { token } }))
      .then(() => {
        setOutcome("verified");
        void queryClient.invalidateQueries({ queryKey: ME_KEY });
      })
      .catch((failure: unknown) => {
        setError(failure);
        setOutcome(isBadLink(failure) ? "badLink" : "failed");
      });
  }, [token, queryClient]);

  const signedIn = Boolean(me.data);
  const onward = signedIn ? (
    <LinkButton to="/">{t("links.toApp")}</LinkButton>
  ) : (
    <LinkButton to="/login">{t("links.toLogin")}</LinkButton>
  );

  return (
    <AuthLayout title={t("verify.title")}>
      {outcome === "checking" && (
        <div role="status" style={{ textAlign: "center", padding: 24 }}>
          <Spin />
          <p>{t("verify.checking")}</p>
        </div>
      )}
      {outcome === "verified" && (
        <Result status="success" title={t("verify.doneTitle")} subTitle={t("verify.done")} extra={onward} />
      )}
      {outcome === "badLink" &&
        (me.data?.user.email_verified ? (
          // A used link, most likely this one: the address is confirmed all the same.
          <Result status="success" title={t("verify.doneTitle")} subTitle={t("verify.already")} extra={onward} />
        ) : (
          <Result
            status="warning"
            title={t("verify.badLinkTitle")}
            subTitle={t(signedIn ? "verify.badLinkSignedIn" : "verify.badLink")}
            extra={signedIn ? <ResendButton /> : onward}
          />
        ))}
      {outcome === "failed" && <FormProblem error={error} />}
    </AuthLayout>
  );
}

/** A fresh verification link, for a signed-in user whose link expired or was used. */
function ResendButton() {
  const { t } = useTranslation("public");
  const [state, setState] = useState<"idle" | "sending" | "sent">("idle");
  const [error, setError] = useState<unknown>(null);
  async function resend() {
    setState("sending");
    setError(null);
    try {
      await unwrap(api.POST("/api/v1/auth/verify-email/resend"));
      setState("sent");
    } catch (failure) {
      setError(failure);
      setState("idle");
    }
  }
  if (state === "sent") return <p role="status">{t("verify.resent")}</p>;
  return (
    <>
      <FormProblem error={error} />
      <Button type="primary" loading={state === "sending"} onClick={() => void resend()}>
        {t("verify.resend")}
      </Button>
    </>
  );
}
