"""Admin helpers that know no domain."""


class DeleteThroughService:
    """An admin whose deletes go through the app's service (which keeps the
    history and the files in order), once, even when two administrators delete
    the same rows at the same time: the second finds nothing left, which is what
    both wanted."""

    def delete_through_service(self, request, obj):
        raise NotImplementedError

    def delete_model(self, request, obj):
        try:
            self.delete_through_service(request, obj)
        except obj.DoesNotExist:
            pass

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
