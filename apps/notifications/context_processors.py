def inbox(request):  # placeholder until the notifications app lands
    return {"inbox_unread": 0}
