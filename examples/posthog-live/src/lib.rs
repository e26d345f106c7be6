//! PostHog's Organizations client as the live API behaves: generated at build time from
//! `spec/posthog-organizations.yaml` with `spec/overlays/posthog-runtime.yaml` applied
//! (`Role.members` is a list of memberships, `Role.is_default` a boolean, `Role.created_by` may be
//! null, proxy records list as `{results, max_proxy_records}`, create answers 200 and delete 200
//! `{"success": true}`).

include!(concat!(env!("OUT_DIR"), "/posthog_organizations.rs"));

#[cfg(test)]
mod tests {
    use super::client::Client;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const ORG: &str = "0188e0ae-3a0e-0000-be37-6a4e5bd1e2e2";
    const ROLE: &str = "497f6eca-6276-4993-bfeb-53cbbbba6f08";

    fn user() -> serde_json::Value {
        serde_json::json!({
            "id": 7, "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f", "distinct_id": "d",
            "first_name": "A", "last_name": "B", "email": "a@example.com",
            "is_email_verified": true, "hedgehog_config": null, "role_at_organization": "engineering"
        })
    }

    async fn client_for(server: &MockServer) -> Client {
        Client::builder().base_url(server.uri()).bearer_token("phx").build().expect("client")
    }

    #[tokio::test]
    async fn a_role_as_the_live_api_sends_it_decodes() {
        let server = MockServer::start().await;
        let membership = serde_json::json!({
            "id": "7c4d2d7d-8620-4fb3-967a-4a621082cf1f", "role_id": ROLE,
            "organization_member": {
                "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "user": user(), "level": 8,
                "joined_at": "2019-08-24T14:15:22Z", "updated_at": "2019-08-24T14:15:22Z",
                "is_2fa_enabled": false, "has_social_auth": false, "last_login": "2019-08-24T14:15:22Z"
            },
            "user": user(), "joined_at": "2019-08-24T14:15:22Z", "updated_at": "2019-08-24T14:15:22Z"
        });
        let role = serde_json::json!({
            "id": ROLE, "name": "Engineers", "feature_flags_access_level": 37,
            "created_at": "2019-08-24T14:15:22Z", "created_by": null,
            "members": [membership], "is_default": true
        });
        Mock::given(method("GET"))
            .and(path(format!("/api/organizations/{ORG}/roles/{ROLE}/")))
            .respond_with(ResponseTemplate::new(200).set_body_json(&role))
            .expect(1)
            .mount(&server)
            .await;
        let client = client_for(&server).await;
        let org = uuid::Uuid::parse_str(ORG).expect("uuid");
        let id = uuid::Uuid::parse_str(ROLE).expect("uuid");
        let got = client.roles_retrieve(org, id).await.expect("the live shape decodes");
        assert!(got.is_default);
        assert!(got.created_by.is_none());
        assert_eq!(got.members.len(), 1);
        assert_eq!(got.members[0].user.email, "a@example.com");
        assert_eq!(serde_json::to_value(&got).expect("encodes"), role);
    }

    #[tokio::test]
    async fn proxy_records_list_create_and_delete_as_the_live_api_answers() {
        let server = MockServer::start().await;
        let record = serde_json::json!({
            "id": ROLE, "domain": "t.example.com", "target_cname": "x.proxy", "status": "valid",
            "message": null, "created_at": "2019-08-24T14:15:22Z", "updated_at": "2019-08-24T14:15:22Z",
            "created_by": 7
        });
        let base = format!("/api/organizations/{ORG}/proxy_records/");
        Mock::given(method("GET"))
            .and(path(base.clone()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"results": [record.clone()], "max_proxy_records": 3})),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(base.clone()))
            .respond_with(ResponseTemplate::new(200).set_body_json(&record))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path(format!("{base}{ROLE}/")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": true})))
            .mount(&server)
            .await;
        let client = client_for(&server).await;
        let query = super::operations::ProxyRecordsListQuery::default();
        let list = client.proxy_records_list(ORG, &query).await.expect("list");
        assert_eq!((list.results.len(), list.max_proxy_records), (1, Some(3)));
        let body = super::models::ProxyRecordRequest { domain: "t.example.com".to_owned() };
        let created = client.proxy_records_create(ORG, &body).await.expect("create answers 200");
        assert_eq!(created.domain, "t.example.com");
        let deleted = client.proxy_records_destroy(ORG, ROLE).await.expect("delete answers 200");
        assert_eq!(deleted.success, Some(true));
    }
}
