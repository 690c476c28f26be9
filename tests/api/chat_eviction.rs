//! Leaving a room's people closes the socket at once (S13): a staff member taken off the team and
//! a user who signs out stop receiving the course's rooms; a reconnect is checked again on join.

use etapolku_tests::chat_client::{self, is, is_error_code};
use reqwest::StatusCode;

use crate::chat::{chat_course, joined, open, say};
use crate::helpers::Session;

#[tokio::test]
async fn a_guide_taken_off_the_team_is_closed_out_of_the_rooms_at_once() {
    // Arrange: the physiotherapist of the course's team reads the group room.
    let app = crate::helpers::TestApp::new().await;
    let c = chat_course(&app, "Evict", 0).await;
    let slug = c.demo.provider.name.to_lowercase().replace(' ', "");
    let physio: Session = app.login(&format!("physio@{slug}.example")).await;
    let (mut socket, _) = joined(&app, &physio, &c.group, 0).await;

    // Act: the provider admin removes her from the team, then Aino writes.
    let res = app
        .delete(
            &c.demo.provider.admin,
            &format!("/api/v1/courses/{}/team/{}", c.demo.course, physio.id),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (mut aino, _) = joined(&app, &c.demo.participant, &c.group, 0).await;
    say(&mut aino, &c.group, "Tätä ei fysioterapeutti enää näe.").await;

    // Assert: her socket closed with 1008 and never got the message.
    let (code, frames) = socket.wait_close(chat_client::WAIT).await.expect("closed");
    assert_eq!(code, Some(1008));
    assert!(
        !frames.iter().any(|f| is(f, "message")),
        "a message after the removal: {frames:?}"
    );
    // Reconnecting works, but the room is not hers any more.
    let mut again = open(&app, &physio).await;
    again.join(&[(c.group.as_str(), 0)]).await.expect("join");
    let refused = again
        .wait_for(|f| is_error_code(f, "not_member"))
        .await
        .expect("an error frame");
    assert_eq!(refused["room"], c.group.as_str());
}

#[tokio::test]
async fn signing_out_closes_the_users_chat_sockets() {
    // Arrange
    let app = crate::helpers::TestApp::new().await;
    let c = chat_course(&app, "Out", 0).await;
    let p = &c.demo.participant;
    let (mut socket, _) = joined(&app, p, &c.group, 0).await;

    // Act
    let res = p
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&p.token)
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    // Assert
    let (code, _) = socket.wait_close(chat_client::WAIT).await.expect("closed");
    assert_eq!(code, Some(1008));
}
