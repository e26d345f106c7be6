//! `spec/edge/copies.yaml` served by its generated server and called by its generated client:
//! inline schemas merged into one type (and aliases of it) still carry every operation's own
//! values, and each operation keeps its own route and its own response type.

mod common;

use common::{Log, get_json, listen, raw, sorted};
use oagen_edge_goldens::copies::client::{Client, ErrorKind};
use oagen_edge_goldens::copies::models::{
    AddOrgLabelsBody, AddOrgLabelsResponse200, AddRepoLabelsBody, AddRepoLabelsResponse200, IssueEvent,
    IssueEventRepository, IssueEventRepositoryOwner, IssueEventRepositoryOwnerKind, Label, ListEventsResponse200,
    PushEvent, PushEventRepository, PushEventRepositoryOwner, PushEventRepositoryOwnerKind, StarEvent,
    StarEventRepository, Tag,
};
use oagen_edge_goldens::copies::operations as ops;
use oagen_edge_goldens::copies::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// Records `(operation, owner, labels)` and answers with the labels as the response's items;
/// the organization `none` is not implemented.
#[derive(Clone, Default)]
struct Labels(Log<(&'static str, String, Vec<String>)>);

fn events() -> ListEventsResponse200 {
    let owner = |login: &str, kind| PushEventRepositoryOwner { kind, login: login.to_owned() };
    let push: PushEventRepository = IssueEventRepository {
        owner: Some(owner("octo", Some(PushEventRepositoryOwnerKind::User))),
        ..IssueEventRepository::new("push-repo".to_owned())
    };
    let issue = IssueEventRepository {
        owner: Some(IssueEventRepositoryOwner {
            kind: Some(IssueEventRepositoryOwnerKind::Unknown("enterprise".to_owned())),
            login: "corp".to_owned(),
        }),
        ..IssueEventRepository::new("issue-repo".to_owned())
    };
    let star = StarEventRepository {
        owner: Some(owner("org", Some(IssueEventRepositoryOwnerKind::Organization))),
        ..StarEventRepository::new("star-repo".to_owned())
    };
    ListEventsResponse200 {
        push: Some(PushEvent::new(push)),
        issue: Some(IssueEvent::new(issue)),
        star: Some(StarEvent::new(star)),
    }
}

impl server::Api for Labels {
    async fn list_events(&self) -> Result<ops::ListEventsResponse, Problem> {
        Ok(ops::ListEventsResponse::Ok(events()))
    }

    async fn add_org_labels(&self, org: String, body: AddOrgLabelsBody) -> Result<ops::AddOrgLabelsResponse, Problem> {
        self.0.push(("org", org.clone(), body.labels.clone()));
        if org == "none" {
            return Err(Problem::not_implemented());
        }
        let labels = body.labels.into_iter().map(Label::new).collect();
        Ok(ops::AddOrgLabelsResponse::Ok(AddOrgLabelsResponse200 { labels: Some(labels) }))
    }

    async fn add_repo_labels(
        &self,
        repo: String,
        body: AddRepoLabelsBody,
    ) -> Result<ops::AddRepoLabelsResponse, Problem> {
        self.0.push(("repo", repo, body.labels.clone()));
        let labels = body.labels.into_iter().map(Tag::new).collect();
        Ok(ops::AddRepoLabelsResponse::Ok(AddRepoLabelsResponse200 { labels: Some(labels) }))
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<(&'static str, String, Vec<String>)>) {
    let api = Labels::default();
    let log = api.0.clone();
    let base = listen(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn each_operation_keeps_its_route_and_types_over_one_shared_body_type() {
    let (_, client, log) = serve().await;
    let org = client.add_org_labels("acme", &AddOrgLabelsBody::new(strings(&["bug", "p1 / urgent"]))).await;
    let org = org.expect("200");
    assert_eq!(org.labels, Some(vec![Label::new("bug".to_owned()), Label::new("p1 / urgent".to_owned())]));
    // The alias `AddRepoLabelsBody` is the same type; the answer is the repository's `Tag`s.
    let repo = client.add_repo_labels("a/b", &AddRepoLabelsBody::new(strings(&["x"]))).await.expect("200");
    assert_eq!(repo.labels, Some(vec![Tag::new("x".to_owned())]));
    assert_eq!(
        log.take(),
        [("org", "acme".to_owned(), strings(&["bug", "p1 / urgent"])), ("repo", "a/b".to_owned(), strings(&["x"]))]
    );
}

#[tokio::test]
async fn events_of_merged_and_separate_types_decode_as_sent() {
    let (base, client, _) = serve().await;
    assert_eq!(client.list_events().await.expect("200"), events());
    // The wire keeps every field, the unknown owner kind included.
    let wire: serde_json::Value = get_json(format!("{base}/events")).await;
    assert_eq!(wire["issue"]["repository"]["owner"], serde_json::json!({"kind": "enterprise", "login": "corp"}));
    assert_eq!(wire["star"]["repository"]["owner"]["kind"], "organization");
}

#[tokio::test]
async fn the_server_checks_the_shared_schema_for_both_operations() {
    let (base, client, log) = serve().await;
    for path in ["/orgs/o/labels", "/repos/r/labels"] {
        let url = |path: &str| format!("{base}{path}");
        assert_eq!(raw(reqwest::Method::POST, url(path), r#"{"labels": []}"#).await, (400, sorted(&["/body/labels"])));
        assert_eq!(
            raw(reqwest::Method::POST, url(path), r#"{"labels": ["a", 1, null]}"#).await,
            (400, sorted(&["/body/labels/1", "/body/labels/2"]))
        );
        assert_eq!(raw(reqwest::Method::POST, url(path), r#"{"label": "a"}"#).await, (400, sorted(&["/body/labels"])));
    }
    assert!(log.take().is_empty(), "no handler was reached");
    // The generated client sends what the schema forbids as it is; the server refuses it.
    let error = client.add_org_labels("o", &AddOrgLabelsBody::new(Vec::new())).await.expect_err("minItems 1");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 400), "{error:?}");
    let error = client.add_org_labels("none", &AddOrgLabelsBody::new(strings(&["a"]))).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
