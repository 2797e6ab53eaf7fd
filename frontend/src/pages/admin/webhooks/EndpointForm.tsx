import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal, Select } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import { useMe } from "../../../app/session";
import { errorText, showFieldErrors } from "../shared/fieldErrors";
import { eventTypeSuggestions, WEBHOOKS_KEY, type EndpointOut } from "./keys";

interface EndpointValues {
  url: string;
  event_types: string[];
  description: string;
}

/** Register an endpoint (its signing secret goes to ``onCreated``) or change one. */
export function EndpointForm({
  target,
  onClose,
  onCreated,
}: {
  target: EndpointOut | "new" | null;
  onClose: () => void;
  onCreated: (secret: string) => void;
}) {
  const { t } = useTranslation("admin");
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<EndpointValues>();

  useEffect(() => {
    if (target === null) return;
    form.resetFields();
    if (target !== "new") {
      form.setFieldsValue({
        url: target.url,
        event_types: target.event_types,
        description: target.description,
      });
    }
  }, [target, form]);

  const save = useMutation({
    mutationFn: async (values: EndpointValues) => {
      if (target !== "new" && target !== null) {
        await unwrap(
          api.PATCH("/api/v1/webhooks/{endpoint_id}", {
            params: { path: { endpoint_id: target.id } },
            body: values,
          }),
        );
        return null;
      }
      return (await unwrap(api.POST("/api/v1/webhooks", { body: values }))).secret;
    },
    onSuccess: async (secret) => {
      await client.invalidateQueries({ queryKey: WEBHOOKS_KEY });
      onClose();
      if (secret) onCreated(secret);
      else void message.success(t("webhooks.saved"));
    },
    onError: (error) => {
      const known = ["url", "event_types", "description"];
      if (!showFieldErrors(form, error, ([name]) => known.includes(String(name)))) {
        void message.error(errorText(error, t("webhooks.saveFailed")));
      }
    },
  });

  return (
    <Modal
      open={target !== null}
      title={target === "new" ? t("webhooks.create") : t("webhooks.edit")}
      okText={t("common:action.save")}
      cancelText={t("common:action.cancel")}
      okButtonProps={{ loading: save.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        <Form.Item
          name="url"
          label={t("webhooks.url")}
          extra={t("webhooks.urlHelp")}
          rules={[{ required: true, type: "url", message: t("webhooks.urlInvalid") }]}
        >
          <Input placeholder="https://example.com/hooks/tessera" inputMode="url" />
        </Form.Item>
        <Form.Item
          name="event_types"
          label={t("webhooks.events")}
          extra={t("webhooks.eventsHelp")}
          rules={[{ required: true, type: "array", min: 1, message: t("webhooks.eventsRequired") }]}
        >
          <Select
            mode="tags"
            tokenSeparators={[",", " "]}
            options={eventTypeSuggestions(me.data?.modules ?? []).map((value) => ({
              value,
              label: value,
            }))}
          />
        </Form.Item>
        <Form.Item name="description" label={t("webhooks.descriptionLabel")}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
