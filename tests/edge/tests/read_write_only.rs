//! `spec/edge/read_write_only.yaml` served by its generated server and called by its generated
//! client: a schema used both ways is split, so the client never sends a readOnly field and the
//! server never answers a writeOnly one (checked on the wire); a readOnly field a raw client
//! sends anyway is ignored; one-way schemas keep all their fields.

mod common;

use common::{Log, keys, listen_recording, raw, send_json, sorted};
use oagen_edge_goldens::read_write_only::client::{Client, ErrorKind};
use oagen_edge_goldens::read_write_only::models::{
    Gadget, GadgetRequest, Widget, WidgetInput, WidgetLog, WidgetRequest, WidgetRequest2,
};
use oagen_edge_goldens::read_write_only::operations as ops;
use oagen_edge_goldens::read_write_only::server::{self, Authenticator, Credential, Principal, Problem, ServerConfig};

/// What the handlers were given.
#[derive(Debug, Clone, PartialEq)]
enum Received {
    Widget(WidgetRequest2),
    Gadget(GadgetRequest),
    Import(WidgetInput),
    Note(WidgetRequest),
}

/// Records what it is given; answers widgets with ids from their names' lengths and a fixed
/// creation time; a widget named `later` is not implemented.
#[derive(Clone, Default)]
struct Widgets(Log<Received>);

fn created_at() -> chrono::DateTime<chrono::Utc> {
    "2020-02-02T02:02:02Z".parse().expect("a date-time")
}

/// The widget a request makes: readOnly fields filled in, the writeOnly secret dropped.
fn made(request: &WidgetRequest2) -> Widget {
    Widget::new(created_at(), request.name.len() as i64, request.name.clone())
}

fn logs() -> Vec<WidgetLog> {
    vec![
        WidgetLog { level: Some("warn".to_owned()), ..WidgetLog::new(1, "hot".to_owned()) },
        WidgetLog::new(2, "ok".to_owned()),
    ]
}

impl server::Api for Widgets {
    async fn put_gadget(&self, body: GadgetRequest) -> Result<ops::PutGadgetResponse, Problem> {
        self.0.push(Received::Gadget(body.clone()));
        let widgets = body.widgets.as_ref().map(|ws| ws.iter().map(made).collect());
        Ok(ops::PutGadgetResponse::Ok(Gadget { widgets, ..Gadget::new(99, body.label, made(&body.widget)) }))
    }

    async fn create_widget(&self, body: WidgetRequest2) -> Result<ops::CreateWidgetResponse, Problem> {
        self.0.push(Received::Widget(body.clone()));
        if body.name == "later" {
            return Err(Problem::not_implemented());
        }
        Ok(ops::CreateWidgetResponse::Created(made(&body)))
    }

    async fn import_widgets(&self, body: WidgetInput) -> Result<ops::ImportWidgetsResponse, Problem> {
        self.0.push(Received::Import(body));
        Ok(ops::ImportWidgetsResponse::NoContent)
    }

    async fn list_widget_logs(&self) -> Result<ops::ListWidgetLogsResponse, Problem> {
        Ok(ops::ListWidgetLogsResponse::Ok(logs()))
    }

    async fn create_widget_note(&self, body: WidgetRequest) -> Result<ops::CreateWidgetNoteResponse, Problem> {
        self.0.push(Received::Note(body));
        Ok(ops::CreateWidgetNoteResponse::NoContent)
    }
}

struct Nobody;

impl Authenticator for Nobody {
    async fn authenticate(&self, _scheme: &str, _credential: Credential<'_>) -> Option<Principal> {
        None
    }
}

async fn serve() -> (String, Client, Log<Received>, Log<common::Exchange>) {
    let api = Widgets::default();
    let log = api.0.clone();
    let (base, wire) = listen_recording(server::router(api, Nobody, ServerConfig::default())).await;
    let client = Client::builder().base_url(&base).build().expect("a client");
    (base, client, log, wire)
}

fn request(name: &str, secret: &str) -> WidgetRequest2 {
    WidgetRequest2::new(name.to_owned(), secret.to_owned())
}

#[tokio::test]
async fn read_only_is_never_sent_and_write_only_never_answered() {
    let (_, client, log, wire) = serve().await;
    let sent = request("knob", "s3cret");
    let widget = client.create_widget(&sent).await.expect("201");
    assert_eq!(widget, Widget::new(created_at(), 4, "knob".to_owned()));
    assert_eq!(log.take(), [Received::Widget(sent)]);
    let exchange = wire.take().pop().expect("one exchange");
    assert_eq!(keys(&exchange.sent()), ["name", "secret"]);
    assert_eq!(keys(&exchange.answered()), ["created_at", "id", "name"]);
}

#[tokio::test]
async fn the_split_reaches_through_references() {
    let (_, client, log, wire) = serve().await;
    let sent = GadgetRequest {
        widgets: Some(vec![request("a", "1"), request("bb", "2")]),
        ..GadgetRequest::new("g".to_owned(), request("ccc", "3"))
    };
    let gadget = client.put_gadget(&sent).await.expect("200");
    let expected = Gadget {
        widgets: Some(vec![made(&request("a", "")), made(&request("bb", ""))]),
        ..Gadget::new(99, "g".to_owned(), Widget::new(created_at(), 3, "ccc".to_owned()))
    };
    assert_eq!(gadget, expected);
    assert_eq!(log.take(), [Received::Gadget(sent)]);
    let exchange = wire.take().pop().expect("one exchange");
    let (sent, answered) = (exchange.sent(), exchange.answered());
    assert_eq!(keys(&sent), ["label", "widget", "widgets"]);
    assert_eq!(keys(&sent["widget"]), ["name", "secret"]);
    assert_eq!(keys(&sent["widgets"][1]), ["name", "secret"]);
    assert_eq!(keys(&answered), ["id", "label", "widget", "widgets"]);
    assert_eq!(keys(&answered["widget"]), ["created_at", "id", "name"]);
    assert_eq!(keys(&answered["widgets"][0]), ["created_at", "id", "name"]);
}

#[tokio::test]
async fn one_way_schemas_keep_their_read_only_and_write_only_fields() {
    let (_, client, log, wire) = serve().await;
    assert_eq!(client.list_widget_logs().await.expect("200"), logs());
    let input = WidgetInput::new("w".to_owned(), "hunter2".to_owned());
    client.import_widgets(&input).await.expect("204");
    // The component named like the split's request type keeps its own shape.
    let note = WidgetRequest::new("n".to_owned());
    client.create_widget_note(&note).await.expect("204");
    assert_eq!(log.take(), [Received::Import(input), Received::Note(note)]);
    let exchanges = wire.take();
    assert_eq!(keys(&exchanges[0].answered()[0]), ["id", "level", "message"]);
    assert_eq!(keys(&exchanges[1].sent()), ["name", "password"]);
    assert!(exchanges[1].response.is_empty() && exchanges[2].response.is_empty(), "204 has no body");
}

#[tokio::test]
async fn read_only_fields_a_raw_client_sends_are_ignored() {
    let (base, _, log, wire) = serve().await;
    let body = serde_json::json!({"id": 7, "created_at": "1999-01-01T00:00:00Z", "name": "x", "secret": "y"});
    let response = send_json(reqwest::Method::POST, format!("{base}/widgets"), &body).await;
    assert_eq!(response.status(), 201);
    assert_eq!(log.take(), [Received::Widget(request("x", "y"))]);
    let answered = wire.take().pop().expect("one exchange").answered();
    assert_eq!((answered["id"].as_i64(), answered["created_at"].as_str()), (Some(1), Some("2020-02-02T02:02:02Z")));
}

#[tokio::test]
async fn the_server_wants_the_writable_fields() {
    let (base, client, log, _) = serve().await;
    let url = |path: &str| format!("{base}{path}");
    // readOnly fields alone do not make a widget: its writable ones are required.
    let body = r#"{"id": 7, "created_at": "1999-01-01T00:00:00Z"}"#;
    assert_eq!(raw(reqwest::Method::POST, url("/widgets"), body).await, (400, sorted(&["/body/name", "/body/secret"])));
    let body = r#"{"label": 1, "widget": {"name": "n"}, "widgets": [{"secret": "s"}, {"name": "m", "secret": false}]}"#;
    assert_eq!(
        raw(reqwest::Method::PUT, url("/gadgets"), body).await,
        (400, sorted(&["/body/label", "/body/widget/secret", "/body/widgets/0/name", "/body/widgets/1/secret"]))
    );
    assert_eq!(
        raw(reqwest::Method::POST, url("/widgets/import"), r#"{"name": "n"}"#).await,
        (400, sorted(&["/body/password"]))
    );
    assert_eq!(
        raw(reqwest::Method::POST, url("/widgets/notes"), r#"{"name": "n"}"#).await,
        (400, sorted(&["/body/note"]))
    );
    assert!(log.take().is_empty(), "no handler was reached");

    let error = client.create_widget(&request("later", "s")).await.expect_err("501");
    assert!(matches!(*error.kind(), ErrorKind::UnexpectedStatus { status, .. } if status == 501), "{error:?}");
}
